import { UnlockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Row, Statistic, Typography, message } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { settlementApi } from '../../api/endpoints';
import type { LedgerEntry, SettlementBalance } from '../../api/types';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { SectionCard } from '../common/SectionCard';
import { useCursorList } from '../common/use-cursor-list';
import { useLoader } from '../common/use-loader';
import { incidentPath } from '../incidents/paths';
import { canReadSettlement, canReleaseSettlementHold } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { settlementRunPath } from './paths';
import { ReleaseHoldDialog } from './ReleaseHoldDialog';
import { SettlementLineTable } from './SettlementLineTable';

/**
 * A merchant's settlement on its page: the balance from the ledger (pending, held, paid,
 * returned…), the hold and its release, its settlement lines and its ledger postings.
 */
export function MerchantSettlement({
  merchantNo,
  holdRules,
  onChanged,
}: {
  merchantNo: string;
  /** The rules behind the merchant's hold (from the merchant's record), named in words. */
  holdRules: readonly string[];
  onChanged: () => void;
}) {
  const { t } = useT();
  // Everything here is read again after a release.
  const [generation, setGeneration] = useState(0);
  const changed = () => {
    setGeneration((previous) => previous + 1);
    onChanged();
  };
  const key = `${merchantNo}:${generation}`;
  return (
    <>
      <SectionCard title={t('merchantSettlement.balance')}>
        <BalanceView
          merchantNo={merchantNo}
          holdRules={holdRules}
          loadKey={key}
          onChanged={changed}
        />
      </SectionCard>
      <SectionCard title={t('merchantSettlement.lines')}>
        <MerchantLines merchantNo={merchantNo} loadKey={key} />
      </SectionCard>
      <SectionCard title={t('merchantSettlement.ledger')}>
        <LedgerEntries merchantNo={merchantNo} loadKey={key} />
      </SectionCard>
    </>
  );
}

function BalanceView({
  merchantNo,
  holdRules,
  loadKey,
  onChanged,
}: {
  merchantNo: string;
  holdRules: readonly string[];
  loadKey: string;
  onChanged: () => void;
}) {
  const { t } = useT();
  const balance = useLoader(loadKey, (signal) => settlementApi.balance(merchantNo, signal));
  if (balance.status === 'failed') {
    return <ProblemAlert error={balance.error} onRetry={balance.reload} />;
  }
  if (balance.status === 'loading') {
    return <Typography.Text type="secondary">{t('app.loading')}</Typography.Text>;
  }
  return <BalanceFigures balance={balance.data} holdRules={holdRules} onChanged={onChanged} />;
}

function BalanceFigures({
  balance,
  holdRules,
  onChanged,
}: {
  balance: SettlementBalance;
  holdRules: readonly string[];
  onChanged: () => void;
}) {
  const { t, tCode, formatDateTime } = useT();
  const user = useCurrentUser();
  const [releasing, setReleasing] = useState(false);
  const [toast, toastHolder] = message.useMessage();
  const figures: { key: string; label: string; fen: number; colour?: string | undefined }[] = [
    { key: 'pending', label: t('merchantSettlement.pending'), fen: balance.pendingFen },
    {
      key: 'held',
      label: t('merchantSettlement.held'),
      fen: balance.heldFen,
      colour: balance.heldFen > 0 ? '#cf1322' : undefined,
    },
    { key: 'paid', label: t('merchantSettlement.paid'), fen: balance.paidFen },
    {
      key: 'returned',
      label: t('merchantSettlement.returned'),
      fen: balance.returnedFen,
      colour: balance.returnedFen > 0 ? '#d4380d' : undefined,
    },
    { key: 'inFlight', label: t('merchantSettlement.inFlight'), fen: balance.inFlightFen },
    { key: 'released', label: t('merchantSettlement.released'), fen: balance.releasedFen },
    { key: 'fees', label: t('merchantSettlement.fees'), fen: balance.feesFen },
  ];
  // Transactions no run has taken yet (the next run's), when the server reports them.
  if (balance.unsettledFen !== undefined) {
    figures.unshift({
      key: 'unsettled',
      label: t('merchantSettlement.unsettled', {
        count: balance.unsettledTransactionCount ?? 0,
      }),
      fen: balance.unsettledFen,
    });
  }
  const canRelease =
    canReleaseSettlementHold(user.role) && (balance.hold !== null || balance.heldFen > 0);
  const hold = balance.hold;
  // An automatic hold names its rules, which read in the user's language; a person's hold
  // carries their own words.
  const holdReason =
    holdRules.length > 0
      ? holdRules.map((rule) => tCode('rule', rule) ?? rule).join(t('common.listSeparator'))
      : (hold?.reason ?? '');
  return (
    <Flex vertical gap={16}>
      {toastHolder}
      <Row gutter={[16, 16]}>
        {figures.map((figure) => (
          <Col key={figure.key} xs={12} md={8} xl={6} xxl={3}>
            <Card size="small" role="group" aria-label={figure.label}>
              <Statistic
                title={figure.label}
                value={formatFen(figure.fen)}
                styles={
                  figure.colour === undefined ? undefined : { content: { color: figure.colour } }
                }
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary">{t('merchantSettlement.returnedNote')}</Typography.Text>
      {hold !== null && (
        <Alert
          type="warning"
          showIcon
          title={t('merchantSettlement.holdSince', {
            since: formatDateTime(hold.placedAt),
            by: tCode('actor', hold.placedBy) ?? hold.placedBy,
          })}
          description={t('merchant.holdReason', { reason: holdReason })}
          action={
            hold.incidentId === null ? undefined : (
              <Link to={incidentPath(hold.incidentId)} style={{ whiteSpace: 'nowrap' }}>
                {t('merchant.viewIncident')}
              </Link>
            )
          }
        />
      )}
      {canRelease && (
        <div>
          <Button icon={<UnlockOutlined />} onClick={() => setReleasing(true)}>
            {t('settlement.release.button')}
          </Button>
        </div>
      )}
      {canRelease && (
        <ReleaseHoldDialog
          merchantNo={releasing ? balance.merchantNo : null}
          onClose={() => setReleasing(false)}
          onDone={(release) => {
            setReleasing(false);
            void toast.success(
              t('settlement.release.done', {
                merchantNo: release.merchantNo,
                amount: formatFen(release.amountFen),
                count: release.lineCount,
              }),
            );
            onChanged();
          }}
        />
      )}
    </Flex>
  );
}

function MerchantLines({ merchantNo, loadKey }: { merchantNo: string; loadKey: string }) {
  const { t } = useT();
  const user = useCurrentUser();
  const list = useCursorList(loadKey, (cursor, signal) =>
    settlementApi.merchantLines(merchantNo, cursor, signal),
  );
  return (
    <SettlementLineTable
      list={list}
      show="businessDate"
      linkRuns={canReadSettlement(user.role)}
      emptyText={t('merchantSettlement.linesEmpty')}
    />
  );
}

function LedgerEntries({ merchantNo, loadKey }: { merchantNo: string; loadKey: string }) {
  const { t, tCode, formatDateTime, localize } = useT();
  const user = useCurrentUser();
  const linkRuns = canReadSettlement(user.role);
  const list = useCursorList(loadKey, (cursor, signal) =>
    settlementApi.ledgerEntries(merchantNo, cursor, signal),
  );
  const none = t('common.none');
  const columns: TableColumnsType<LedgerEntry> = [
    {
      title: t('ledger.col.at'),
      dataIndex: 'at',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('ledger.col.kind'),
      dataIndex: 'kind',
      render: (value: string) => tCode('journalKind', value) ?? value,
    },
    {
      title: t('ledger.col.account'),
      key: 'account',
      render: (_: unknown, record) =>
        tCode('ledgerAccount', record.account) ?? localize(record.accountName),
    },
    {
      title: t('ledger.col.debit'),
      key: 'debit',
      align: 'right',
      render: (_: unknown, record) =>
        record.amountFen > 0 ? <Identifier>{formatFen(record.amountFen)}</Identifier> : none,
    },
    {
      title: t('ledger.col.credit'),
      key: 'credit',
      align: 'right',
      render: (_: unknown, record) =>
        record.amountFen < 0 ? <Identifier>{formatFen(-record.amountFen)}</Identifier> : none,
    },
    {
      title: t('ledger.col.actor'),
      dataIndex: 'actor',
      render: (value: string) => tCode('actor', value) ?? value,
    },
    {
      title: t('ledger.col.run'),
      dataIndex: 'runId',
      render: (value: string | null) =>
        value === null ? (
          none
        ) : linkRuns ? (
          <Link to={settlementRunPath(value)}>{t('ledger.viewRun')}</Link>
        ) : (
          none
        ),
    },
  ];
  return (
    <>
      <Typography.Paragraph type="secondary">{t('ledger.hint')}</Typography.Paragraph>
      <CursorTable<LedgerEntry>
        list={list}
        rowKey={(record) => `${record.journalId}:${record.seq}`}
        size="small"
        columns={columns}
        locale={{ emptyText: t('ledger.empty') }}
      />
    </>
  );
}
