import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, List, Popover, Tag, Typography, notification } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ConsoleNotification } from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { IncidentSeverityTag } from '../common/tags';
import { incidentPath } from '../incidents/paths';
import { knownKey } from '../incidents/texts';
import { announceArrival } from './arrivals';
import { useNotifications } from './use-notifications';

/** Notifications that ask for someone's attention now. */
function popsUp(item: ConsoleNotification): boolean {
  return (
    item.kind === 'page' || item.type === 'incident.opened' || item.type === 'incident.escalated'
  );
}

/** A console path from the server (`/incidents/…`), never a link to another site. */
function safeLink(link: string | null | undefined): string | null {
  return typeof link === 'string' && link.startsWith('/') && !link.startsWith('//') ? link : null;
}

/** What a notification says: its own text, or its event type in words. */
function useNotificationText() {
  const { t, localize } = useT();
  return (item: ConsoleNotification): { title: string; text: string | null } => {
    const typeKey = knownKey(`eventType.${item.type}`);
    const typeText = typeKey === undefined ? item.type : t(typeKey);
    const title = item.title ? localize(item.title) : typeText;
    const text = item.text ? localize(item.text) : null;
    return { title, text };
  };
}

/**
 * The bell in the header: how many notifications are unread, the latest in a list, new ones
 * live (and announced in a corner of the screen). Opening one marks it read and goes to its
 * incident.
 */
export function NotificationBell() {
  const { t, formatDateTime } = useT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [toast, toastHolder] = notification.useNotification();
  const textOf = useNotificationText();
  const [failure, setFailure] = useState<unknown>(null);

  const go = (item: ConsoleNotification) => {
    setOpen(false);
    toast.destroy(item.id);
    state.markRead([item.id]).catch(setFailure);
    const target = item.incidentId ? incidentPath(item.incidentId) : safeLink(item.link);
    if (target !== null) void navigate(target);
  };

  const state = useNotifications((item) => {
    announceArrival(item);
    // Only what asks for someone pops up: a new incident, an escalation, a page. The rest
    // (an incident resolved, a hold released…) waits in the bell.
    if (!popsUp(item)) return;
    const { title, text } = textOf(item);
    toast.open({
      key: item.id,
      placement: 'topRight',
      duration: 8,
      type: item.severity === 'P1' && item.drill !== true ? 'error' : 'warning',
      title: (
        <>
          {item.drill === true && (
            <Tag color="purple" style={{ marginInlineEnd: 6 }}>
              {t('incident.drill')}
            </Tag>
          )}
          {title}
        </>
      ),
      description: text,
      actions: item.incidentId ? (
        <Button size="small" type="primary" onClick={() => go(item)}>
          {t('notifications.open')}
        </Button>
      ) : undefined,
    });
  });

  const label =
    state.unread > 0
      ? t('notifications.labelUnread', { count: state.unread })
      : t('notifications.label');

  const content = (
    <div style={{ width: 400, maxWidth: '90vw' }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Flex gap={8} align="center">
          <Typography.Text type={state.live ? 'success' : 'secondary'} style={{ fontSize: 12 }}>
            {state.live ? t('notifications.live') : t('notifications.offline')}
          </Typography.Text>
          <Button
            size="small"
            type="link"
            disabled={state.unread === 0}
            onClick={() => void state.markAllRead().catch(setFailure)}
          >
            {t('notifications.markAllRead')}
          </Button>
        </Flex>
      </Flex>
      {(failure ?? state.error) !== null && (failure ?? state.error) !== undefined && (
        <ProblemAlert error={failure ?? state.error} onRetry={state.reload} />
      )}
      {state.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <List<ConsoleNotification>
          size="small"
          dataSource={state.items}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(item) => {
            const { title, text } = textOf(item);
            const unread = (item.readAt ?? null) === null;
            return (
              <List.Item
                key={item.id}
                onClick={() => go(item)}
                style={{
                  cursor: 'pointer',
                  background: unread ? '#e6f4ff' : undefined,
                  paddingInline: 8,
                }}
                data-unread={unread ? 'true' : 'false'}
              >
                <Flex vertical gap={2} style={{ width: '100%' }}>
                  <Flex gap={6} align="center" wrap>
                    {item.drill === true && <Tag color="purple">{t('incident.drill')}</Tag>}
                    {item.severity && <IncidentSeverityTag severity={item.severity} />}
                    <Typography.Text strong={unread}>{title}</Typography.Text>
                  </Flex>
                  {text !== null && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {text}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(item.createdAt)}
                    {unread && ` · ${t('notifications.unread')}`}
                  </Typography.Text>
                </Flex>
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );

  return (
    <>
      {toastHolder}
      <Popover
        content={content}
        trigger="click"
        placement="bottomRight"
        open={open}
        onOpenChange={setOpen}
      >
        <Badge count={state.unread} overflowCount={99} size="small">
          <Button
            shape="circle"
            icon={<BellOutlined />}
            aria-label={label}
            data-unread-count={state.unread}
          />
        </Badge>
      </Popover>
    </>
  );
}
