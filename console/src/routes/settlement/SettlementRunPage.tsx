import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Row,
  Skeleton,
  Statistic,
  Tag,
  Typography,
  message,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError, saveFile } from '../../api/client';
import { settlementApi } from '../../api/endpoints';
import { LINE_STATUSES } from '../../api/types';
import type { SettlementLine, SettlementRunWithLines } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SelectFilter } from '../common/FilterBar';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { SectionCard } from '../common/SectionCard';
import { oneOf, useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { useLoader } from '../common/use-loader';
import { NotFoundPage } from '../not-found/NotFoundPage';
import {
  canDownloadPayoutFile,
  canRecordSettlementResults,
  canReleaseSettlementHold,
} from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { SETTLEMENT_RUNS_PATH } from './paths';
import type { RunPageState } from './paths';
import { ReleaseHoldDialog } from './ReleaseHoldDialog';
import { ResultsUpload } from './ResultsUpload';
import { SettlementLineTable } from './SettlementLineTable';

const FILTER_KEYS = ['status'] as const;

export function SettlementRunPage() {
  const { t } = useT();
  const runId = useParams().runId ?? '';
  const run = useLoader(runId, (signal) => settlementApi.getRun(runId, signal));

  if (run.status === 'failed' && run.error instanceof ApiError && run.error.status === 404) {
    return <NotFoundPage />;
  }
  return (
    <>
      <Link to={SETTLEMENT_RUNS_PATH}>
        <ArrowLeftOutlined /> {t('settlement.run.backToList')}
      </Link>
      {run.status === 'loading' && <Skeleton active style={{ marginTop: 16 }} />}
      {run.status === 'failed' && (
        <div style={{ marginTop: 16 }}>
          <ProblemAlert error={run.error} onRetry={run.reload} />
        </div>
      )}
      {run.status === 'ready' && <RunView run={run.data} onChanged={run.refresh} />}
    </>
  );
}

function RunView({ run, onChanged }: { run: SettlementRunWithLines; onChanged: () => void }) {
  const { t, tCode } = useT();
  const user = useCurrentUser();
  const location = useLocation();
  const notice = (location.state as RunPageState | null)?.notice;
  // Lines are read again after anything on the page changed them (a file, results, a release).
  const [generation, setGeneration] = useState(0);
  const changed = () => {
    setGeneration((previous) => previous + 1);
    onChanged();
  };
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('settlement.run.title', { date: run.businessDate })}
        </Typography.Title>
        <Tag color="blue">{tCode('cycle', run.cycle) ?? run.cycle}</Tag>
        <Tag>
          {t(run.trigger === 'scheduled' ? 'settlement.run.scheduled' : 'settlement.run.manual')}
        </Tag>
      </Flex>
      {notice !== undefined && (
        <Alert
          type={notice === 'created' ? 'success' : 'info'}
          showIcon
          closable
          style={{ marginBottom: 16 }}
          title={t(
            notice === 'created' ? 'settlement.create.created' : 'settlement.create.existing',
            {
              date: run.businessDate,
            },
          )}
        />
      )}
      <SectionCard title={t('settlement.run.summary')}>
        <RunSummary run={run} />
      </SectionCard>
      {canDownloadPayoutFile(user.role) && (
        <SectionCard title={t('settlement.payout.title')}>
          <PayoutFile run={run} onChanged={changed} />
        </SectionCard>
      )}
      {canRecordSettlementResults(user.role) && (
        <SectionCard title={t('settlement.results.title')}>
          <ResultsUpload onChanged={changed} />
        </SectionCard>
      )}
      <SectionCard title={t('settlement.run.lines', { count: run.totals.lines })}>
        <RunLines runId={run.id} generation={generation} onChanged={changed} />
      </SectionCard>
    </>
  );
}

function RunSummary({ run }: { run: SettlementRunWithLines }) {
  const { t, tCode, formatDateTime } = useT();
  const totals = run.totals;
  const figures: {
    key: string;
    label: string;
    count: number;
    amountFen: number;
    colour?: string;
  }[] = [
    {
      key: 'ready',
      label: t('lineStatus.ready'),
      count: totals.readyCount,
      amountFen: totals.readyFen,
    },
    {
      key: 'held',
      label: t('lineStatus.held'),
      count: totals.heldCount,
      amountFen: totals.heldFen,
      colour: totals.heldCount > 0 ? '#cf1322' : undefined,
    },
    {
      key: 'paid',
      label: t('lineStatus.paid'),
      count: totals.paidCount,
      amountFen: totals.paidFen,
    },
    {
      key: 'returned',
      label: t('lineStatus.returned'),
      count: totals.returnedCount,
      amountFen: totals.returnedFen,
      colour: totals.returnedCount > 0 ? '#d4380d' : undefined,
    },
    {
      key: 'carried',
      label: t('lineStatus.carried'),
      count: totals.carriedCount,
      amountFen: totals.carriedFen,
    },
  ];
  const items: DescriptionsProps['items'] = [
    {
      key: 'businessDate',
      label: t('settlement.run.businessDate'),
      children: <Identifier>{run.businessDate}</Identifier>,
    },
    {
      key: 'cycle',
      label: t('settlement.run.cycle'),
      children: tCode('cycle', run.cycle) ?? run.cycle,
    },
    {
      key: 'period',
      label: t('settlement.run.period'),
      children: (
        <Identifier>
          {formatDateTime(run.periodStart)} – {formatDateTime(run.periodEnd)}
        </Identifier>
      ),
    },
    {
      key: 'cutoff',
      label: t('settlement.run.cutoff'),
      children: <Identifier>{formatDateTime(run.cutoffAt)}</Identifier>,
    },
    {
      key: 'net',
      label: t('settlement.run.net'),
      children: <Identifier>{formatFen(totals.netFen)}</Identifier>,
    },
    {
      key: 'fees',
      label: t('settlement.run.fees'),
      children: <Identifier>{formatFen(totals.feesFen)}</Identifier>,
    },
    {
      key: 'createdBy',
      label: t('settlement.run.createdBy'),
      children: tCode('actor', run.createdBy) ?? run.createdBy,
    },
    {
      key: 'createdAt',
      label: t('settlement.run.createdAt'),
      children: <Identifier>{formatDateTime(run.createdAt)}</Identifier>,
    },
    {
      key: 'id',
      label: t('settlement.run.id'),
      children: <Typography.Text code>{run.id}</Typography.Text>,
    },
  ];
  return (
    <>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {figures.map((figure) => (
          <Col key={figure.key} xs={12} md={8} xl={4}>
            <Card size="small" role="group" aria-label={figure.label}>
              <Statistic
                title={figure.label}
                value={formatFen(figure.amountFen)}
                styles={
                  figure.colour === undefined ? undefined : { content: { color: figure.colour } }
                }
              />
              <Typography.Text type="secondary">
                {t('settlement.lineCount', { count: figure.count })}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={items}
        styles={{ label: { whiteSpace: 'nowrap' } }}
      />
    </>
  );
}

interface DownloadSummary {
  filename: string;
  lineCount: number;
  totalFen: number;
  heldNow: number;
}

function headerNumber(headers: Headers, name: string): number {
  const value = Number(headers.get(name) ?? '');
  return Number.isSafeInteger(value) ? value : 0;
}

/** The payout file (代付文件): who may take it, that it is audited, and what it held. */
function PayoutFile({ run, onChanged }: { run: SettlementRunWithLines; onChanged: () => void }) {
  const { t } = useT();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<DownloadSummary | null>(null);

  const fetchFile = async () => {
    setLoading(true);
    setError(null);
    try {
      const file = await settlementApi.payoutFile(run.id);
      saveFile(file);
      const heldNow = headerNumber(file.headers, 'x-settleguard-held-now');
      setSummary({
        filename: file.filename,
        lineCount: headerNumber(file.headers, 'x-settleguard-line-count'),
        totalFen: headerNumber(file.headers, 'x-settleguard-total-fen'),
        heldNow,
      });
      // Lines screened again and held while the file was made change the run's figures.
      if (heldNow > 0) onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Flex vertical gap={12}>
      <Alert type="warning" showIcon title={t('settlement.payout.audited')} />
      <Typography.Text type="secondary">
        {t('settlement.payout.contents', {
          count: run.totals.readyCount,
          amount: formatFen(run.totals.readyFen),
        })}
      </Typography.Text>
      <div>
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          loading={loading}
          onClick={() => void fetchFile()}
        >
          {t('settlement.payout.download')}
        </Button>
      </div>
      {error !== null && <ProblemAlert error={error} />}
      {summary !== null && (
        <Alert
          type={summary.heldNow > 0 ? 'warning' : 'success'}
          showIcon
          role="status"
          title={t('settlement.payout.downloaded', {
            filename: summary.filename,
            count: summary.lineCount,
            amount: formatFen(summary.totalFen),
          })}
          description={
            summary.heldNow > 0
              ? t('settlement.payout.heldNow', { count: summary.heldNow })
              : undefined
          }
        />
      )}
    </Flex>
  );
}

function RunLines({
  runId,
  generation,
  onChanged,
}: {
  runId: string;
  generation: number;
  onChanged: () => void;
}) {
  const { t, tCode } = useT();
  const user = useCurrentUser();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const status = oneOf(LINE_STATUSES, filter.status);
  const [releasing, setReleasing] = useState<string | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const list = useCursorList(JSON.stringify({ runId, status, generation }), (cursor, signal) =>
    settlementApi.runLines(runId, { status }, cursor, signal),
  );
  const canRelease = canReleaseSettlementHold(user.role);
  return (
    <>
      {toastHolder}
      <FilterBar>
        <SelectFilter
          id="settlement-line-status"
          label={t('settlement.line.statusFilter')}
          value={status}
          onChange={(value) => setFilter('status', value)}
          options={LINE_STATUSES.map((value) => ({
            value,
            label: tCode('lineStatus', value) ?? value,
          }))}
        />
      </FilterBar>
      <SettlementLineTable
        list={list}
        show="merchant"
        emptyText={t(
          status === undefined ? 'settlement.run.linesEmpty' : 'settlement.run.linesEmptyFiltered',
        )}
        onRelease={canRelease ? (line: SettlementLine) => setReleasing(line.merchantNo) : undefined}
      />
      {canRelease && (
        <ReleaseHoldDialog
          merchantNo={releasing}
          onClose={() => setReleasing(null)}
          onDone={(release) => {
            setReleasing(null);
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
    </>
  );
}
