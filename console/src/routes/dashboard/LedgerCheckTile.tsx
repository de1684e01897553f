import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { settlementApi } from '../../api/endpoints';
import type { LedgerVerification } from '../../api/types';
import { useT } from '../../i18n';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';

/** Most problems listed on the tile; the rest are counted. */
const PROBLEMS_SHOWN_MAX = 10;

/** The ledger checked now: every journal balanced, every merchant owed what its lines say. */
export function LedgerCheckTile() {
  const { t } = useT();
  const check = useLoader('ledger-verify', (signal) => settlementApi.verifyLedger(signal));
  return (
    <Card
      title={
        <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>
          {t('dashboard.ledger.title')}
        </h2>
      }
      extra={
        <Button
          size="small"
          icon={<ReloadOutlined />}
          onClick={check.reload}
          loading={check.status === 'loading'}
        >
          {t('dashboard.ledger.again')}
        </Button>
      }
      style={{ height: '100%' }}
    >
      {check.status === 'failed' && <ProblemAlert error={check.error} onRetry={check.reload} />}
      {check.status === 'ready' && <LedgerCheck result={check.data} />}
    </Card>
  );
}

function LedgerCheck({ result }: { result: LedgerVerification }) {
  const { t, tCode, formatDateTime } = useT();
  const items: DescriptionsProps['items'] = [
    { key: 'journals', label: t('dashboard.ledger.journals'), children: result.journals },
    { key: 'postings', label: t('dashboard.ledger.postings'), children: result.postings },
    { key: 'merchants', label: t('dashboard.ledger.merchants'), children: result.merchants },
    {
      key: 'checkedAt',
      label: t('dashboard.ledger.checkedAt'),
      children: formatDateTime(result.checkedAt),
    },
  ];
  const held = result.totals.merchant_held;
  if (held !== undefined) {
    items.push({
      key: 'held',
      label: t('ledgerAccount.merchant_held'),
      // Liabilities carry credit balances: shown as the money they hold.
      children: formatFen(-held),
    });
  }
  const ok = result.balanced && result.problems.length === 0;
  return (
    <Flex vertical gap={12}>
      <Typography.Text strong type={ok ? 'success' : 'danger'} role="status">
        {ok ? <CheckCircleFilled /> : <CloseCircleFilled />}{' '}
        {ok
          ? t('dashboard.ledger.balanced')
          : t('dashboard.ledger.problems', { count: result.problems.length })}
      </Typography.Text>
      {!ok && (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {result.problems.slice(0, PROBLEMS_SHOWN_MAX).map((problem, index) => (
            <li key={`${problem.code}:${index}`}>
              {tCode('ledgerProblem', problem.code) ?? problem.code}
              {problem.merchantNo !== undefined && ` · ${problem.merchantNo}`}
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {problem.message}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
      <Descriptions size="small" column={2} items={items} />
    </Flex>
  );
}
