import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Alert } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { AlertSeverityTag, RuleName } from '../common/tags';
import { incidentPath } from '../incidents/paths';
import { merchantPath } from '../merchants/MerchantListPage';
import { terminalPath } from '../terminals/TerminalListPage';

/**
 * Alerts as a table: when, which rule, how severe, on what, why (in the user's language) and
 * the incident it belongs to. Used by the alert list, the incident page and the merchant page.
 */
export function AlertTable(props: {
  alerts: Alert[];
  loading: boolean;
  /** Leave out the merchant column where every alert is the same merchant's. */
  hideMerchant?: boolean;
  /** Leave out the incident column on the incident's own page. */
  hideIncident?: boolean;
  emptyText?: string;
}) {
  const { t, formatDateTime, localize } = useT();
  const none = t('common.none');
  const columns: TableColumnsType<Alert> = [
    {
      title: t('alerts.col.time'),
      dataIndex: 'createdAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('alerts.col.rule'),
      dataIndex: 'rule',
      render: (value: string) => (
        <div style={{ minWidth: 100, maxWidth: 160 }}>
          <RuleName rule={value} />
        </div>
      ),
    },
    {
      title: t('alerts.col.severity'),
      dataIndex: 'severity',
      render: (value: Alert['severity']) => <AlertSeverityTag severity={value} />,
    },
    ...(props.hideMerchant
      ? []
      : [
          {
            title: t('alerts.col.merchant'),
            dataIndex: 'merchantNo',
            render: (value: string) => (
              <Link to={merchantPath(value)} style={{ whiteSpace: 'nowrap' }}>
                {value}
              </Link>
            ),
          },
        ]),
    {
      title: t('alerts.col.terminal'),
      dataIndex: 'terminalId',
      render: (value: string | null) =>
        value === null ? (
          none
        ) : (
          <Link to={terminalPath(value)} style={{ whiteSpace: 'nowrap' }}>
            {value}
          </Link>
        ),
    },
    {
      title: t('alerts.col.transaction'),
      dataIndex: 'transactionId',
      render: (value: string | null) =>
        value === null ? (
          none
        ) : (
          <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
            {value}
          </Typography.Text>
        ),
    },
    {
      title: t('alerts.col.explanation'),
      key: 'explanation',
      render: (_: unknown, record) => (
        <div style={{ minWidth: 240 }}>{localize(record.explanation)}</div>
      ),
    },
    ...(props.hideIncident
      ? []
      : [
          {
            title: t('alerts.col.incident'),
            dataIndex: 'incidentId',
            render: (value: string | null) =>
              value === null ? (
                none
              ) : (
                <Link to={incidentPath(value)} style={{ whiteSpace: 'nowrap' }}>
                  {t('alerts.viewIncident')}
                </Link>
              ),
          },
        ]),
  ];
  return (
    <Table<Alert>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={props.alerts}
      loading={props.loading}
      pagination={false}
      // A fixed scroll width rather than max-content: the explanation takes what room is left
      // and wraps, instead of pushing the table wider than the page.
      scroll={{ x: 1100 }}
      locale={{ emptyText: props.emptyText ?? t('alerts.empty') }}
    />
  );
}
