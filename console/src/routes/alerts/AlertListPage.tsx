import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { alertApi } from '../../api/endpoints';
import { ALERT_RULES, ALERT_SEVERITIES } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { LoadMore } from '../common/LoadMore';
import { ProblemAlert } from '../common/problem';
import { oneOf, useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { AlertTable } from './AlertTable';

const FILTER_KEYS = ['merchantNo', 'rule', 'severity', 'range'] as const;

/** The time ranges offered, each as how far back from now it reaches. */
const RANGES = ['1h', '24h', '7d', '30d'] as const;
type Range = (typeof RANGES)[number];
const HOUR_MS = 3_600_000;
const RANGE_MS: Record<Range, number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

export function AlertListPage() {
  const { t } = useT();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const rule = oneOf(ALERT_RULES, filter.rule);
  const severity = oneOf(ALERT_SEVERITIES, filter.severity);
  const range = oneOf(RANGES, filter.range);
  // "Since" is fixed when the range is chosen, so that further pages read the same window.
  const since = useMemo(
    () => (range === undefined ? undefined : new Date(Date.now() - RANGE_MS[range]).toISOString()),
    [range],
  );
  const query = { merchantNo: filter.merchantNo || undefined, rule, severity, since };

  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    alertApi.list(query, cursor, signal),
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('alerts.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SelectFilter
            id="alert-rule"
            label={t('alerts.rule')}
            value={rule}
            onChange={(value) => setFilter('rule', value)}
            options={ALERT_RULES.map((value) => ({ value, label: t(`rule.${value}`) }))}
            width={220}
          />
          <SelectFilter
            id="alert-severity"
            label={t('alerts.severity')}
            value={severity}
            onChange={(value) => setFilter('severity', value)}
            options={ALERT_SEVERITIES.map((value) => ({
              value,
              label: t(`alertSeverity.${value}`),
            }))}
            width={120}
          />
          <SearchFilter
            id="alert-merchant"
            label={t('alerts.merchantNo')}
            placeholder={t('alerts.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={260}
          />
          <SelectFilter
            id="alert-range"
            label={t('alerts.range')}
            value={range}
            onChange={(value) => setFilter('range', value)}
            options={RANGES.map((value) => ({ value, label: t(`alerts.range.${value}`) }))}
            width={150}
          />
        </FilterBar>
        {list.error !== undefined && list.items.length === 0 ? (
          <ProblemAlert error={list.error} onRetry={list.retry} />
        ) : (
          <>
            <AlertTable alerts={list.items} loading={list.loading && list.items.length === 0} />
            <LoadMore list={list} />
          </>
        )}
      </Card>
    </>
  );
}
