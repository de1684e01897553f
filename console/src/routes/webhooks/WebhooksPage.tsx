import {
  ApiOutlined,
  HistoryOutlined,
  PlusOutlined,
  ReloadOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Table,
  Tabs,
  Tag,
  Typography,
  message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { webhookApi } from '../../api/endpoints';
import { EVENT_TYPES } from '../../api/types';
import type { CreatedWebhook, Webhook, WebhookDelivery } from '../../api/types';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { useCursorList } from '../common/use-cursor-list';
import { useLoader } from '../common/use-loader';
import { ActionDialog } from '../incidents/ActionDialog';
import { knownKey } from '../incidents/texts';
import { EscalationPolicies } from './EscalationPolicies';

const URL_LENGTH_MAX = 2048;
const DESCRIPTION_LENGTH_MAX = 500;

function isEnabled(webhook: Webhook): boolean {
  return webhook.active;
}

/** The admin's page for outgoing notifications: webhooks, and escalation per severity. */
export function NotificationSettingsPage() {
  const { t } = useT();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('webhooks.pageTitle')}
      </Typography.Title>
      <Card>
        <Tabs
          items={[
            { key: 'webhooks', label: t('webhooks.tab'), children: <Webhooks /> },
            { key: 'escalation', label: t('escalation.tab'), children: <EscalationPolicies /> },
          ]}
        />
      </Card>
    </>
  );
}

function Webhooks() {
  const { t, formatDateTime } = useT();
  const webhooks = useLoader('webhooks', (signal) => webhookApi.list(signal));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deliveriesOf, setDeliveriesOf] = useState<Webhook | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();
  const eventText = useEventText();

  const act = async (work: () => Promise<unknown>, success: string) => {
    setError(null);
    try {
      await work();
      void toast.success(success);
      webhooks.refresh();
    } catch (caught) {
      setError(caught);
    }
  };

  const columns: TableColumnsType<Webhook> = [
    {
      title: t('webhooks.col.url'),
      key: 'url',
      render: (_: unknown, webhook) => (
        <div style={{ maxWidth: 360 }}>
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {webhook.url}
          </Typography.Text>
          {webhook.description !== null && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {webhook.description}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: t('webhooks.col.events'),
      dataIndex: 'events',
      render: (events: string[]) => (
        <Flex gap={4} wrap style={{ maxWidth: 360 }}>
          {events.map((event) => (
            <Tag key={event}>{event === '*' ? t('webhooks.allEvents') : eventText(event)}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('webhooks.col.status'),
      key: 'status',
      render: (_: unknown, webhook) =>
        isEnabled(webhook) ? (
          <Tag color="green">{t('webhooks.enabled')}</Tag>
        ) : (
          <Tag>{t('webhooks.disabled')}</Tag>
        ),
    },
    {
      title: t('webhooks.col.deliveries'),
      key: 'deliveries',
      render: (_: unknown, webhook) => (
        <Flex gap={4} wrap>
          <Tag color="green">
            {t('webhooks.count.delivered', { count: webhook.deliveries.delivered })}
          </Tag>
          {webhook.deliveries.pending > 0 && (
            <Tag color="blue">
              {t('webhooks.count.pending', { count: webhook.deliveries.pending })}
            </Tag>
          )}
          {webhook.deliveries.failed > 0 && (
            <Tag color="red">
              {t('webhooks.count.failed', { count: webhook.deliveries.failed })}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('webhooks.col.createdAt'),
      key: 'createdAt',
      render: (_: unknown, webhook) => (
        <Identifier>
          {formatDateTime(webhook.createdAt)} · {webhook.createdBy}
        </Identifier>
      ),
    },
    {
      title: t('webhooks.col.actions'),
      key: 'actions',
      render: (_: unknown, webhook) => (
        <Flex gap={8} wrap>
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setDeliveriesOf(webhook)}>
            {t('webhooks.deliveries')}
          </Button>
          {isEnabled(webhook) && (
            <Button
              size="small"
              icon={<SendOutlined />}
              onClick={() => void act(() => webhookApi.test(webhook.id), t('webhooks.testSent'))}
            >
              {t('webhooks.test')}
            </Button>
          )}
          {isEnabled(webhook) && (
            <Popconfirm
              title={t('webhooks.disableConfirm')}
              description={t('webhooks.disableHint')}
              okText={t('webhooks.disable')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                void act(() => webhookApi.disable(webhook.id), t('webhooks.disabledDone'))
              }
            >
              <Button size="small" danger icon={<StopOutlined />}>
                {t('webhooks.disable')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      {toastHolder}
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('webhooks.hint')}
        </Typography.Paragraph>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('webhooks.create')}
        </Button>
      </Flex>
      {error !== null && <ProblemAlert error={error} />}
      {webhooks.status === 'failed' ? (
        <ProblemAlert error={webhooks.error} onRetry={webhooks.reload} />
      ) : (
        <Table<Webhook>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={webhooks.data?.items ?? []}
          loading={webhooks.status === 'loading'}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('webhooks.empty') }}
        />
      )}
      <CreateWebhookDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(webhook) => {
          setCreating(false);
          setCreated(webhook);
          webhooks.refresh();
        }}
      />
      <SecretOnce webhook={created} onClose={() => setCreated(null)} />
      <Drawer
        open={deliveriesOf !== null}
        onClose={() => setDeliveriesOf(null)}
        size="large"
        title={t('webhooks.deliveriesOf', { url: deliveriesOf?.url ?? '' })}
        destroyOnHidden
      >
        {deliveriesOf !== null && <Deliveries webhook={deliveriesOf} />}
      </Drawer>
    </Flex>
  );
}

/** An event type in words; an unknown one as its code. */
export function useEventText() {
  const { t } = useT();
  return (type: string) => {
    const key = knownKey(`eventType.${type}`);
    return key === undefined ? type : `${t(key)} (${type})`;
  };
}

interface CreateValues {
  url: string;
  description?: string;
  all: boolean;
  events: string[];
}

function CreateWebhookDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (webhook: CreatedWebhook) => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<CreateValues>();
  const eventText = useEventText();
  return (
    <ActionDialog<CreateValues>
      open={props.open}
      title={t('webhooks.create.title')}
      hint={t('webhooks.create.hint')}
      confirm={t('webhooks.create.confirm')}
      form={form}
      initialValues={{ url: '', all: true, events: [] }}
      onClose={props.onClose}
      onSubmit={async (values) => {
        const webhook = await webhookApi.create({
          url: values.url.trim(),
          description: values.description?.trim(),
          events: values.all ? ['*'] : values.events,
        });
        props.onCreated(webhook);
      }}
    >
      <Form.Item
        name="url"
        label={t('webhooks.url')}
        extra={t('webhooks.urlHint')}
        rules={[
          { required: true, whitespace: true, message: t('webhooks.urlRequired') },
          { type: 'url', message: t('webhooks.urlInvalid') },
        ]}
      >
        <Input maxLength={URL_LENGTH_MAX} placeholder="https://" />
      </Form.Item>
      <Form.Item name="description" label={t('webhooks.description')}>
        <Input
          maxLength={DESCRIPTION_LENGTH_MAX}
          placeholder={t('webhooks.descriptionPlaceholder')}
        />
      </Form.Item>
      <Form.Item name="all" valuePropName="checked" style={{ marginBottom: 8 }}>
        <Checkbox>{t('webhooks.allEvents')}</Checkbox>
      </Form.Item>
      <Form.Item noStyle dependencies={['all']}>
        {({ getFieldValue }) =>
          getFieldValue('all') === true ? null : (
            <Form.Item
              name="events"
              label={t('webhooks.events')}
              rules={[
                { required: true, type: 'array', min: 1, message: t('webhooks.eventsRequired') },
              ]}
            >
              <Checkbox.Group
                style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                options={EVENT_TYPES.map((type) => ({ value: type, label: eventText(type) }))}
              />
            </Form.Item>
          )
        }
      </Form.Item>
    </ActionDialog>
  );
}

/** The signing secret, shown this once: the server keeps no copy it will show again. */
function SecretOnce({ webhook, onClose }: { webhook: CreatedWebhook | null; onClose: () => void }) {
  const { t } = useT();
  return (
    <Modal
      open={webhook !== null}
      title={t('webhooks.secret.title')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('webhooks.secret.done')}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        title={t('webhooks.secret.warning')}
        style={{ marginBottom: 16 }}
      />
      <Typography.Paragraph>{t('webhooks.secret.hint')}</Typography.Paragraph>
      <Typography.Paragraph
        code
        copyable={{ text: webhook?.secret ?? '' }}
        style={{ wordBreak: 'break-all' }}
        data-secret
      >
        {webhook?.secret}
      </Typography.Paragraph>
    </Modal>
  );
}

const DELIVERY_COLOURS: Partial<Record<string, string>> = {
  delivered: 'green',
  succeeded: 'green',
  pending: 'blue',
  retrying: 'gold',
  failed: 'red',
  dead: 'red',
};

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t, formatDateTime } = useT();
  const [generation, setGeneration] = useState(0);
  const list = useCursorList(`${webhook.id}:${generation}`, (cursor, signal) =>
    webhookApi.deliveries(webhook.id, cursor, signal),
  );
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();
  const eventText = useEventText();
  const reasonText = (reason: string) => {
    const key = knownKey(`deliveryReason.${reason}`);
    return key === undefined ? reason : t(key);
  };
  const statusText = (status: string) => {
    const key = knownKey(`deliveryStatus.${status}`);
    return key === undefined ? status : t(key);
  };
  const columns: TableColumnsType<WebhookDelivery> = [
    {
      title: t('deliveries.col.createdAt'),
      dataIndex: 'createdAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('deliveries.col.event'),
      key: 'event',
      render: (_: unknown, delivery) => (
        <div style={{ maxWidth: 240 }}>
          {eventText(delivery.eventType)}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {reasonText(delivery.reason)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('deliveries.col.status'),
      dataIndex: 'status',
      render: (value: string) => <Tag color={DELIVERY_COLOURS[value]}>{statusText(value)}</Tag>,
    },
    { title: t('deliveries.col.attempts'), dataIndex: 'attemptCount', align: 'right' },
    {
      title: t('deliveries.col.response'),
      key: 'response',
      render: (_: unknown, delivery) => {
        const code = delivery.lastStatusCode;
        return (
          <div style={{ maxWidth: 220 }}>
            {code !== null && <Typography.Text code>{code}</Typography.Text>}
            {delivery.lastError && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                {delivery.lastError}
              </Typography.Text>
            )}
            {code === null && !delivery.lastError && t('common.none')}
          </div>
        );
      },
    },
    {
      title: t('deliveries.col.next'),
      key: 'next',
      render: (_: unknown, delivery) =>
        delivery.deliveredAt ? (
          <Identifier>
            {t('deliveries.deliveredAt', { at: formatDateTime(delivery.deliveredAt) })}
          </Identifier>
        ) : delivery.nextAttemptAt ? (
          <Identifier>
            {t('deliveries.nextAt', { at: formatDateTime(delivery.nextAttemptAt) })}
          </Identifier>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('webhooks.col.actions'),
      key: 'redeliver',
      render: (_: unknown, delivery) => (
        <Button
          size="small"
          icon={<ReloadOutlined />}
          onClick={() => {
            setError(null);
            webhookApi.redeliver(webhook.id, delivery.id).then(() => {
              void toast.success(t('deliveries.redelivered'));
              setGeneration((value) => value + 1);
            }, setError);
          }}
        >
          {t('deliveries.redeliver')}
        </Button>
      ),
    },
  ];
  return (
    <Flex vertical gap={12}>
      {toastHolder}
      <Flex justify="space-between" align="flex-start" gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          <ApiOutlined /> {t('deliveries.hint')}
        </Typography.Paragraph>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => setGeneration((value) => value + 1)}
          loading={list.loading}
        >
          {t('deliveries.refresh')}
        </Button>
      </Flex>
      {error !== null && <ProblemAlert error={error} />}
      <CursorTable<WebhookDelivery>
        list={list}
        rowKey="id"
        size="small"
        columns={columns}
        locale={{ emptyText: t('deliveries.empty') }}
        expandable={{
          rowExpandable: (delivery) => delivery.attempts.length > 0,
          expandedRowRender: (delivery) => <Attempts delivery={delivery} />,
        }}
      />
    </Flex>
  );
}

/** Each attempt of a delivery: when, scheduled or by hand, the answer, how long it took. */
function Attempts({ delivery }: { delivery: WebhookDelivery }) {
  const { t, formatDateTime } = useT();
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        webhook-id: <Typography.Text code>{delivery.messageId}</Typography.Text>
      </Typography.Text>
      <ol style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
        {delivery.attempts.map((attempt, index) => (
          <li key={`${attempt.at}:${index}`}>
            <Identifier>{formatDateTime(attempt.at)}</Identifier>{' '}
            <Tag color={attempt.succeeded ? 'green' : 'red'}>
              {attempt.succeeded ? t('deliveries.attemptOk') : t('deliveries.attemptFailed')}
            </Tag>
            {attempt.trigger === 'manual' && <Tag>{t('deliveries.manual')}</Tag>}
            {attempt.httpStatus !== null && (
              <Typography.Text code>{attempt.httpStatus}</Typography.Text>
            )}{' '}
            <Typography.Text type="secondary">
              {t('deliveries.duration', { ms: attempt.durationMs })}
            </Typography.Text>
            {attempt.error !== null && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                {attempt.error}
              </Typography.Text>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
