import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Table, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Remediation, RemediationUpdate } from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { chinaToday, isOverdue, isUnassigned, pagerFor } from './model';
import { PaymentLine } from './RemediationDialogs';
import { ActionTag, RemediationStatusTag, useRemediationText } from './tags';

/** A remediation that blocks resolving stands out in the table, as an overdue incident does. */
const UNASSIGNED_ROW_BACKGROUND = '#fff7e6';

/**
 * The incident's remediations: what, for which payment, its status, who owns it and by when,
 * and what happened so far. One without an owner or a date stops the incident from being
 * resolved, and says so above the list. Merchant users read the status only.
 */
export function RemediationList(props: {
  items: Remediation[];
  loading: boolean;
  /** The acquirer's view: owners, the warning about resolving, and updates. */
  internal: boolean;
  onUpdate?: (remediation: Remediation) => void;
}) {
  const { t, formatDateTime } = useT();
  const text = useRemediationText();
  const today = chinaToday(new Date());
  const unassigned = props.items.filter((item) => isUnassigned(item));

  const columns: TableColumnsType<Remediation> = [
    {
      title: t('remediation.list.col.action'),
      dataIndex: 'action',
      render: (action: Remediation['action']) => <ActionTag action={action} />,
    },
    {
      title: t('remediation.list.col.payment'),
      key: 'payment',
      render: (_: unknown, item) => (
        // Wraps between its parts: the status, owner and due date stay in view.
        <div style={{ minWidth: 220, maxWidth: 340 }}>
          <PaymentLine {...item} />
        </div>
      ),
    },
    {
      title: t('remediation.list.col.status'),
      dataIndex: 'status',
      render: (status: Remediation['status']) => <RemediationStatusTag status={status} />,
    },
    ...(props.internal
      ? [
          {
            title: t('remediation.list.col.owner'),
            key: 'owner',
            render: (_: unknown, item: Remediation) =>
              item.owner ? (
                <Identifier>{item.owner}</Identifier>
              ) : (
                <Typography.Text type={isUnassigned(item) ? 'danger' : 'secondary'}>
                  {t('remediation.list.noOwner')}
                </Typography.Text>
              ),
          },
        ]
      : []),
    {
      title: t('remediation.list.col.dueDate'),
      key: 'dueDate',
      render: (_: unknown, item) => {
        if (item.dueDate === null) {
          return (
            <Typography.Text type={props.internal && isUnassigned(item) ? 'danger' : 'secondary'}>
              {t('remediation.list.noDueDate')}
            </Typography.Text>
          );
        }
        return isOverdue(item, today) ? (
          <Typography.Text type="danger" strong>
            <Identifier>{t('remediation.list.overdue', { date: item.dueDate })}</Identifier>
          </Typography.Text>
        ) : (
          <Identifier>{item.dueDate}</Identifier>
        );
      },
    },
    {
      title: t('remediation.list.col.latest'),
      key: 'latest',
      render: (_: unknown, item) => {
        const latest = lastNote(item);
        return latest === null ? (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ) : (
          <div style={{ maxWidth: 320 }}>
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{latest.note}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <Identifier>{formatDateTime(latest.at)}</Identifier>
            </Typography.Text>
          </div>
        );
      },
    },
    ...(props.onUpdate === undefined
      ? []
      : [
          {
            title: t('remediation.list.col.actions'),
            key: 'actions',
            render: (_: unknown, item: Remediation) => (
              <Button
                size="small"
                icon={<EditOutlined />}
                aria-label={t('remediation.list.updateFor', {
                  action: text('action', item.action),
                  payment: item.rrn ?? item.id,
                })}
                onClick={() => props.onUpdate?.(item)}
              >
                {t('remediation.list.update')}
              </Button>
            ),
          },
        ]),
  ];

  return (
    <Flex vertical gap={12}>
      {props.internal && unassigned.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('remediation.list.unassignedBanner', { count: unassigned.length })}
          description={t('remediation.list.unassignedHint')}
        />
      )}
      <Table<Remediation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={props.items}
        loading={props.loading}
        pagination={pagerFor(props.items.length)}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('remediation.list.empty') }}
        onRow={(item) => {
          const blocking = props.internal && isUnassigned(item);
          return {
            style: { background: blocking ? UNASSIGNED_ROW_BACKGROUND : undefined },
            'data-status': item.status,
            'data-unassigned': blocking ? 'true' : undefined,
          };
        }}
        expandable={
          props.internal
            ? {
                rowExpandable: (item) => (item.updates?.length ?? 0) > 0,
                expandedRowRender: (item) => <Updates updates={item.updates ?? []} />,
              }
            : undefined
        }
      />
    </Flex>
  );
}

/** The newest update that said something, or the note the remediation was created with. */
function lastNote(item: Remediation): { note: string; at: string } | null {
  const updates = [...(item.updates ?? [])].reverse();
  const withNote = updates.find((update) => update.note);
  if (withNote?.note) return { note: withNote.note, at: withNote.at };
  if (item.note) return { note: item.note, at: item.createdAt };
  return null;
}

/** The history of a remediation: each change with who made it and when. */
function Updates({ updates }: { updates: RemediationUpdate[] }) {
  const { t, formatDateTime } = useT();
  const text = useRemediationText();
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={updates.map((update, index) => {
        const changes: string[] = [];
        if (update.status) {
          changes.push(t('remediation.update.toStatus', { status: text('status', update.status) }));
        }
        if (update.owner) changes.push(t('remediation.update.toOwner', { owner: update.owner }));
        if (update.dueDate) {
          changes.push(t('remediation.update.toDueDate', { date: update.dueDate }));
        }
        return {
          key: `${update.at}-${index}`,
          content: (
            <>
              <Typography.Text type="secondary">
                <Identifier>{`${formatDateTime(update.at)} · ${update.by}`}</Identifier>
              </Typography.Text>
              {changes.length > 0 && <div>{changes.join(t('common.listSeparator'))}</div>}
              {update.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{update.note}</div> : null}
            </>
          ),
        };
      })}
    />
  );
}
