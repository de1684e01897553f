import { Alert, Button, Descriptions, Flex, Form, Input, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useState } from 'react';
import { accountChangeApi } from '../../api/correction';
import type { AccountChange, MicroDepositConfirmation } from '../../api/correction';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { CorrectionProblem } from '../documents/problem';
import { correctionText } from '../documents/texts';
import { yuanToFen } from './amount';
import { VerificationStatusTag } from './ChangeTags';

/** Statuses in which the amount can be entered: the deposit has gone out in a payout file. */
const CONFIRMABLE = ['sent', 'paid'] as const;

/**
 * How the new account is being proved to be the merchant's: the method, where it stands, the
 * attempts left, and for those who may, the box for the amount the merchant saw arrive. A lock
 * (three wrong amounts) is said plainly: the request is over and a new one is needed.
 */
export function VerificationSection({
  change,
  onChanged,
  standalone = false,
}: {
  change: AccountChange;
  onChanged: () => void;
  /** Shown away from the change page's banner, which already says a lock. */
  standalone?: boolean;
}) {
  const i18n = useT();
  const { t, formatDateTime } = i18n;
  const verification = change.verification;
  const [last, setLast] = useState<MicroDepositConfirmation | null>(null);

  if (verification === null) {
    return (
      <Typography.Text type="secondary">
        {change.status === 'pending_verification'
          ? t('correction.verification.notStarted')
          : t('correction.verification.afterApproval')}
      </Typography.Text>
    );
  }
  const locked = verification.status === 'locked' || change.status === 'locked';
  const items: DescriptionsProps['items'] = [
    {
      key: 'method',
      label: t('correction.verification.method'),
      children: correctionText(i18n, 'verificationMethod', verification.method),
    },
    {
      key: 'status',
      label: t('correction.verification.status'),
      children: <VerificationStatusTag status={verification.status} />,
    },
    {
      key: 'startedAt',
      label: t('correction.verification.startedAt'),
      children: formatDateTime(verification.startedAt),
    },
  ];
  if (verification.method === 'micro_deposit') {
    items.push({
      key: 'attemptsLeft',
      label: t('correction.verification.attemptsLeft'),
      children: (
        <span data-testid="attempts-left">
          {t('correction.verification.attemptsLeftValue', { count: verification.attemptsLeft })}
        </span>
      ),
    });
  }
  if (verification.method === 'test_transaction') {
    if (verification.terminalId) {
      items.push({
        key: 'terminal',
        label: t('correction.verification.terminal'),
        children: <Identifier>{verification.terminalId}</Identifier>,
      });
    }
    if (typeof verification.amountToKeyFen === 'number') {
      items.push({
        key: 'amount',
        label: t('correction.verification.amountToKey'),
        children: <Identifier>{formatFen(verification.amountToKeyFen)}</Identifier>,
      });
    }
  }
  const canConfirm =
    change.allowedActions.includes('confirm') &&
    verification.method === 'micro_deposit' &&
    (CONFIRMABLE as readonly string[]).includes(verification.status);

  return (
    <Flex vertical gap={16}>
      <VerificationNotice change={change} standalone={standalone} />
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />
      {last !== null && !locked && <ConfirmResult result={last} />}
      {canConfirm && !locked && (
        <ConfirmForm
          change={change}
          onResult={(result) => {
            setLast(result);
            onChanged();
          }}
        />
      )}
    </Flex>
  );
}

/** Where the verification stands, in one sentence for the reader. */
function VerificationNotice({
  change,
  standalone,
}: {
  change: AccountChange;
  standalone: boolean;
}) {
  const { t } = useT();
  const verification = change.verification;
  if (verification === null) return null;
  const masked = change.account.accountNumberMasked;
  // A locked request says so at the top of its page; here only where it is shown alone.
  if (verification.status === 'locked' || change.status === 'locked') {
    if (!standalone) return null;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={t('correction.verification.lockedTitle')}
        description={t('correction.verification.lockedText')}
      />
    );
  }
  switch (verification.status) {
    case 'awaiting_file':
      return <Alert type="info" showIcon title={t('correction.verification.awaitingFile')} />;
    case 'sent':
    case 'paid':
      return (
        <Alert
          type="info"
          showIcon
          title={t('correction.verification.sentTitle', { account: masked })}
          description={t('correction.verification.sentText')}
        />
      );
    case 'returned':
      return (
        <Alert
          type="error"
          showIcon
          title={t('correction.verification.returnedTitle')}
          description={t('correction.verification.returnedText')}
        />
      );
    case 'awaiting_transaction':
      return (
        <Alert type="info" showIcon title={t('correction.verification.awaitingTransaction')} />
      );
    case 'matched':
    case 'confirmed':
      return <Alert type="success" showIcon title={t('correction.verification.confirmedTitle')} />;
    default:
      return null;
  }
}

function ConfirmResult({ result }: { result: MicroDepositConfirmation }) {
  const { t } = useT();
  if (result.matched) {
    return (
      <Alert type="success" showIcon role="status" title={t('correction.verification.matched')} />
    );
  }
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t('correction.verification.wrongAmount', { count: result.attemptsLeft })}
    />
  );
}

interface ConfirmValues {
  amount: string;
}

function ConfirmForm({
  change,
  onResult,
}: {
  change: AccountChange;
  onResult: (result: MicroDepositConfirmation) => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<ConfirmValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (values: ConfirmValues) => {
    const amountFen = yuanToFen(values.amount);
    if (amountFen === undefined) return;
    setSaving(true);
    setError(null);
    try {
      const result = await accountChangeApi.confirm(change.id, amountFen);
      form.resetFields();
      onResult(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<ConfirmValues>
      form={form}
      layout="inline"
      onFinish={(values) => void submit(values)}
      aria-label={t('correction.verification.confirmTitle')}
      style={{ rowGap: 8 }}
    >
      {error !== null && (
        <div style={{ width: '100%', marginBottom: 8 }}>
          <CorrectionProblem error={error} />
        </div>
      )}
      <Form.Item
        name="amount"
        label={t('correction.verification.amount')}
        htmlFor="deposit-amount"
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('correction.verification.amountRequired'),
          },
          {
            validator: async (_, value: string | undefined) => {
              if (value === undefined || value.trim() === '') return;
              if (yuanToFen(value) === undefined) {
                throw new Error(t('correction.verification.amountFormat'));
              }
            },
          },
        ]}
      >
        <Input
          id="deposit-amount"
          prefix="¥"
          placeholder="0.00"
          inputMode="decimal"
          autoComplete="off"
          style={{ width: 160 }}
        />
      </Form.Item>
      <Form.Item>
        {/* Disabled while sending, not `loading`: the name stays for a second amount. */}
        <Button type="primary" htmlType="submit" disabled={saving}>
          {t('correction.verification.confirm')}
        </Button>
      </Form.Item>
    </Form>
  );
}
