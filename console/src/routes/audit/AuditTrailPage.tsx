import { Card, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { auditApi } from '../../api/endpoints';
import type { AuditEntry } from '../../api/endpoints';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { CursorTable } from '../common/CursorTable';
import { FilterBar, SearchFilter } from '../common/FilterBar';
import { Identifier } from '../common/Identifier';
import { useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';

const FILTER_KEYS = ['merchantNo', 'action', 'actor'] as const;

/** The kinds of thing an entry is about, named for people; any other shows its code. */
const ENTITY_KEYS: Record<string, MessageKey> = {
  account_change: 'audit.entity.account_change',
  incident: 'audit.entity.incident',
  user: 'audit.entity.user',
  merchant: 'audit.entity.merchant',
  terminal: 'audit.entity.terminal',
  settlement_account: 'audit.entity.settlement_account',
  settlement_hold: 'audit.entity.settlement_hold',
  settlement_run: 'audit.entity.settlement_run',
  settlement_line: 'audit.entity.settlement_line',
  settlement_results: 'audit.entity.settlement_results',
  merchant_document: 'audit.entity.merchant_document',
  remediation: 'audit.entity.remediation',
  recovery_case: 'audit.entity.recovery_case',
  evidence: 'audit.entity.evidence',
  incident_contact: 'audit.entity.incident_contact',
  case_file_submission: 'audit.entity.case_file_submission',
  webhook_endpoint: 'audit.entity.webhook_endpoint',
  webhook_delivery: 'audit.entity.webhook_delivery',
  escalation_policy: 'audit.entity.escalation_policy',
};

/** Where an entry's object lives in the console, when it has a page. */
function entityPath(entry: AuditEntry): string | null {
  switch (entry.entityType) {
    case 'incident':
      return `/incidents/${encodeURIComponent(entry.entityId)}`;
    case 'account_change':
      return `/account-changes/${encodeURIComponent(entry.entityId)}`;
    case 'merchant':
      return merchantPath(entry.entityId);
    case 'settlement_run':
      return `/settlement/runs/${encodeURIComponent(entry.entityId)}`;
    default:
      return null;
  }
}

/** Numbers and codes in full; a UUID by its first eight characters (the row shows the rest). */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(id) ? id.slice(0, 8) : id;
}

function Detail({ entry }: { entry: AuditEntry }) {
  const { t } = useT();
  const part = (label: string, value: unknown) =>
    value === null || value === undefined ? null : (
      <div>
        <Typography.Text type="secondary">{label}</Typography.Text>
        <pre
          style={{
            margin: '4px 0 12px',
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
            fontSize: 12,
            maxHeight: 320,
            overflow: 'auto',
          }}
        >
          {JSON.stringify(value, null, 2)}
        </pre>
      </div>
    );
  return (
    <>
      {part(t('audit.before'), entry.before)}
      {part(t('audit.after'), entry.after)}
    </>
  );
}

/**
 * The audit trail as written, oldest first: who did what to which object, with what it was
 * before and after (masked values only, as recorded). Filters by merchant, action and actor;
 * the chain itself is checked on the overview's ledger and audit tiles.
 */
export function AuditTrailPage() {
  const { t, formatDateTime } = useT();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const query = {
    merchantNo: filter.merchantNo || undefined,
    action: filter.action || undefined,
    actor: filter.actor || undefined,
  };
  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    auditApi.list(query, cursor, signal),
  );

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.col.seq'),
      dataIndex: 'seq',
      width: 80,
      render: (value: number) => <Identifier>{value}</Identifier>,
    },
    {
      title: t('audit.col.at'),
      dataIndex: 'at',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('audit.col.actor'),
      dataIndex: 'actor',
      render: (value: string) => <Identifier>{value}</Identifier>,
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      render: (value: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('audit.col.entity'),
      key: 'entity',
      render: (_: unknown, entry) => {
        const key = ENTITY_KEYS[entry.entityType];
        const path = entityPath(entry);
        return (
          <span style={{ whiteSpace: 'nowrap' }}>
            <Tag>{key ? t(key) : entry.entityType}</Tag>
            {path ? (
              <Link to={path}>{shortId(entry.entityId)}</Link>
            ) : (
              <Identifier>{shortId(entry.entityId)}</Identifier>
            )}
          </span>
        );
      },
    },
    {
      title: t('audit.col.merchant'),
      dataIndex: 'merchantNo',
      render: (value: string | null) =>
        value === null ? (
          t('common.none')
        ) : (
          <Link to={merchantPath(value)} style={{ whiteSpace: 'nowrap' }}>
            {value}
          </Link>
        ),
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.hint')}</Typography.Paragraph>
      <Card>
        <FilterBar>
          <SearchFilter
            id="audit-merchant"
            label={t('audit.merchantNo')}
            placeholder={t('audit.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value.trim())}
            width={240}
          />
          <SearchFilter
            id="audit-action"
            label={t('audit.action')}
            placeholder={t('audit.actionPlaceholder')}
            value={filter.action}
            onSearch={(value) => setFilter('action', value.trim())}
            width={260}
          />
          <SearchFilter
            id="audit-actor"
            label={t('audit.actor')}
            placeholder={t('audit.actorPlaceholder')}
            value={filter.actor}
            onSearch={(value) => setFilter('actor', value.trim())}
            width={180}
          />
        </FilterBar>
        <CursorTable<AuditEntry>
          list={list}
          rowKey="seq"
          size="middle"
          columns={columns}
          expandable={{ expandedRowRender: (entry) => <Detail entry={entry} /> }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('audit.empty') }}
        />
      </Card>
    </>
  );
}
