import { Alert, Descriptions, Flex, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { NameCheck, SettlementAccount } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { AccountStatusTag, NameCheckTag } from '../common/tags';

/** A score from 0 to 1 as a whole percentage; anything else as it came. */
export function formatScore(score: number): string {
  return score >= 0 && score <= 1 ? `${Math.round(score * 100)}%` : String(score);
}

/** The name check in words: the result, how close, against what, and on which grounds. */
export function NameCheckDetails({ nameCheck }: { nameCheck: NameCheck }) {
  const { t, tCode } = useT();
  const target = tCode('comparedWith', nameCheck.comparedWith) ?? nameCheck.comparedWith;
  return (
    <Flex vertical gap={4}>
      <Flex gap={8} align="center" wrap>
        <NameCheckTag result={nameCheck.result} />
        <Typography.Text type="secondary">
          {t('account.score', { score: formatScore(nameCheck.score) })}
          {' · '}
          {t('account.comparedWith', { target })}
        </Typography.Text>
      </Flex>
      {nameCheck.reasons.length > 0 && (
        <ul aria-label={t('account.reasons')} style={{ margin: 0, paddingInlineStart: 20 }}>
          {nameCheck.reasons.map((reason) => (
            <li key={reason}>{tCode('reason', reason) ?? reason}</li>
          ))}
        </ul>
      )}
    </Flex>
  );
}

export function AccountDetails({ account }: { account: SettlementAccount }) {
  const { t, tCode, formatDateTime } = useT();
  const none = t('common.none');
  const items: DescriptionsProps['items'] = [
    {
      key: 'number',
      label: t('account.number'),
      children: (
        <Typography.Text code style={{ fontSize: 15, whiteSpace: 'nowrap' }}>
          {account.accountNumberMasked}
        </Typography.Text>
      ),
    },
    { key: 'name', label: t('account.name'), children: account.accountName },
    {
      key: 'type',
      label: t('account.type'),
      children: tCode('accountType', account.accountType) ?? account.accountType,
    },
    { key: 'bank', label: t('account.bank'), children: account.bankName ?? none },
    {
      key: 'bankCode',
      label: t('account.bankCode'),
      children: <Identifier>{account.bankCode ?? none}</Identifier>,
    },
    {
      key: 'status',
      label: t('account.status'),
      children: (
        <Flex vertical gap={4} align="flex-start">
          <AccountStatusTag status={account.status} />
          {account.statusReason && (
            <Typography.Text type="secondary">
              {t('common.reason', { reason: account.statusReason })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'nameCheck',
      label: t('account.nameCheck'),
      span: 'filled',
      children: <NameCheckDetails nameCheck={account.nameCheck} />,
    },
    {
      key: 'validFrom',
      label: t('account.validFrom'),
      children: formatDateTime(account.validFrom),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
      {account.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('account.warnings')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {account.warnings.map((warning) => (
                <li key={`${warning.path}:${warning.code}`}>
                  {tCode('error', warning.code) ?? warning.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Flex>
  );
}
