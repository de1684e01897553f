import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Checkbox, Form, Typography, message } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { settlementApi } from '../../api/endpoints';
import { HOLD_REASONS, LINE_STATUSES } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { formatFen } from '../common/money';
import { oneOf, useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { canReadSettlement, canReleaseSettlementHold } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { SETTLEMENT_RUNS_PATH } from './paths';
import { ReleaseHoldDialog } from './ReleaseHoldDialog';
import { SettlementLineTable } from './SettlementLineTable';
import { useHoldReasonText } from './settlement-tags';

const FILTER_KEYS = ['onHold', 'reason', 'status', 'merchantNo'] as const;

/**
 * Lines of every run, newest business date first: above all the money still on hold, by reason,
 * which the overview's tile links to.
 */
export function SettlementLinesPage() {
  const { t, tCode } = useT();
  const user = useCurrentUser();
  const reasonText = useHoldReasonText();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const [generation, setGeneration] = useState(0);
  const [releasing, setReleasing] = useState<string | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const query = {
    onHold: filter.onHold === '1',
    reason: oneOf(HOLD_REASONS, filter.reason),
    status: oneOf(LINE_STATUSES, filter.status),
    merchantNo: filter.merchantNo || undefined,
  };
  const list = useCursorList(JSON.stringify({ ...query, generation }), (cursor, signal) =>
    settlementApi.lines(query, cursor, signal),
  );
  if (!canReadSettlement(user.role)) return <NotFoundPage />;
  const canRelease = canReleaseSettlementHold(user.role);

  return (
    <>
      {toastHolder}
      <Link to={SETTLEMENT_RUNS_PATH}>
        <ArrowLeftOutlined /> {t('settlement.run.backToList')}
      </Link>
      <Typography.Title level={1} style={{ fontSize: 20, margin: '12px 0 16px' }}>
        {t('settlement.lines.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <Form.Item>
            <Checkbox
              checked={query.onHold}
              onChange={(event) => setFilter('onHold', event.target.checked ? '1' : undefined)}
            >
              {t('settlement.lines.onHold')}
            </Checkbox>
          </Form.Item>
          <SelectFilter
            id="settlement-lines-reason"
            label={t('settlement.lines.reason')}
            value={query.reason}
            onChange={(value) => setFilter('reason', value)}
            width={240}
            options={HOLD_REASONS.map((value) => ({ value, label: reasonText(value) }))}
          />
          <SelectFilter
            id="settlement-lines-status"
            label={t('settlement.line.statusFilter')}
            value={query.status}
            onChange={(value) => setFilter('status', value)}
            options={LINE_STATUSES.map((value) => ({
              value,
              label: tCode('lineStatus', value) ?? value,
            }))}
          />
          <SearchFilter
            id="settlement-lines-merchant"
            label={t('settlement.line.merchant')}
            placeholder={t('incidents.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={260}
          />
        </FilterBar>
        <SettlementLineTable
          list={list}
          show="both"
          linkRuns
          emptyText={t('settlement.lines.empty')}
          onRelease={canRelease ? (line) => setReleasing(line.merchantNo) : undefined}
        />
      </Card>
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
            setGeneration((previous) => previous + 1);
          }}
        />
      )}
    </>
  );
}
