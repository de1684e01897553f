import { CopyOutlined, FormOutlined, MessageOutlined } from '@ant-design/icons';
import {
  Button,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Select,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { CONTACT_CHANNELS, CONTACT_PARTIES, contactApi } from '../../api/remediation';
import type { Contact, ContactChannel, ContactParty, MessageTemplate } from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';
import { ActionDialog } from '../incidents/ActionDialog';
import { useRemediationText } from './tags';
import { pagerFor } from './model';

const PARTY_NAME_LENGTH_MAX = 100;
const SUMMARY_LENGTH_MAX = 2000;
const OUTCOME_LENGTH_MAX = 1000;

/** What the contact dialog starts with: empty, or from a template. */
interface ContactDraft {
  template: MessageTemplate | null;
}

/**
 * Who was told what: the contact log of the incident (customers, partners, the merchant, the
 * bank; channel, what was said, outcome), and the Chinese messages the server fills from the
 * incident, to copy into an SMS, a letter or a call script and then log as sent.
 */
export function ContactLog(props: {
  incidentId: string;
  canLog: boolean;
  /** A stamp that changes when the incident does, so that the log follows it. */
  version: string;
  onChanged: () => void;
}) {
  const { t, localize, formatDateTime } = useT();
  const text = useRemediationText();
  const contacts = useLoader(`contacts:${props.incidentId}`, (signal) =>
    contactApi.list(props.incidentId, signal),
  );
  const templates = useLoader(`templates:${props.incidentId}:${props.version}`, (signal) =>
    contactApi.templates(props.incidentId, signal),
  );
  const [draft, setDraft] = useState<ContactDraft | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const templateTitle = (id: string | null) => {
    if (id === null) return null;
    const found = templates.data?.items.find((item) => item.id === id);
    return found === undefined ? id : localize(found.title);
  };

  const columns: TableColumnsType<Contact> = [
    {
      title: t('remediation.contact.col.at'),
      dataIndex: 'createdAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('remediation.contact.col.party'),
      key: 'party',
      render: (_: unknown, item) => (
        <Flex vertical>
          <span>
            <Tag>{text('party', item.party)}</Tag>
          </span>
          {item.partyName ? <span>{item.partyName}</span> : null}
        </Flex>
      ),
    },
    {
      title: t('remediation.contact.col.channel'),
      dataIndex: 'channel',
      render: (value: string) => text('channel', value),
    },
    {
      title: t('remediation.contact.col.summary'),
      dataIndex: 'summary',
      render: (value: string, item) => (
        <div style={{ maxWidth: 420 }}>
          <Typography.Paragraph
            style={{ margin: 0, whiteSpace: 'pre-wrap' }}
            ellipsis={{ rows: 4, expandable: 'collapsible' }}
          >
            {value}
          </Typography.Paragraph>
          {item.templateId ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('remediation.contact.fromTemplate', {
                title: templateTitle(item.templateId) ?? '',
              })}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      title: t('remediation.contact.col.outcome'),
      dataIndex: 'outcome',
      render: (value: string | null) =>
        value ? (
          <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    {
      title: t('remediation.contact.col.by'),
      dataIndex: 'createdBy',
      render: (value: string) => <Identifier>{value}</Identifier>,
    },
  ];

  return (
    <Flex vertical gap={16}>
      {toastHolder}
      {templates.status === 'failed' ? (
        <ProblemAlert error={templates.error} onRetry={templates.reload} />
      ) : (
        <Templates
          items={templates.data?.items ?? []}
          loading={templates.status === 'loading'}
          canLog={props.canLog}
          onCopied={(ok) =>
            ok
              ? void toast.success(t('remediation.template.copied'))
              : void toast.error(t('remediation.template.copyFailed'))
          }
          onUse={(template) => setDraft({ template })}
        />
      )}
      <Flex align="center" justify="space-between" wrap gap={8}>
        <Typography.Title level={3} style={{ fontSize: 14, margin: 0 }}>
          {t('remediation.contact.log')}
        </Typography.Title>
        {props.canLog && (
          <Button icon={<MessageOutlined />} onClick={() => setDraft({ template: null })}>
            {t('remediation.contact.add')}
          </Button>
        )}
      </Flex>
      {contacts.status === 'failed' ? (
        <ProblemAlert error={contacts.error} onRetry={contacts.reload} />
      ) : (
        <Table<Contact>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={contacts.data?.items ?? []}
          loading={contacts.status === 'loading'}
          pagination={pagerFor(contacts.data?.items.length ?? 0)}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('remediation.contact.empty') }}
        />
      )}
      {/* Keyed by the template: the form starts from it, not from the last one used. */}
      <ContactDialog
        key={draft === null ? 'none' : (draft.template?.id ?? 'blank')}
        incidentId={props.incidentId}
        draft={draft}
        onClose={() => setDraft(null)}
        onDone={() => {
          setDraft(null);
          void toast.success(t('remediation.contact.logged'));
          contacts.refresh();
          props.onChanged();
        }}
      />
    </Flex>
  );
}

/**
 * Copies text to the clipboard; false when the browser does not allow it (a page not served
 * securely, a policy), and the user is then told to select the text and copy it.
 */
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}

function Templates(props: {
  items: MessageTemplate[];
  loading: boolean;
  canLog: boolean;
  onCopied: (ok: boolean) => void;
  onUse: (template: MessageTemplate) => void;
}) {
  const { t, localize } = useT();
  const text = useRemediationText();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const chosen = props.items.find((item) => item.id === chosenId) ?? props.items[0] ?? null;
  if (props.loading) return null;
  if (props.items.length === 0) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('remediation.template.none')} />
    );
  }
  return (
    <div>
      <Typography.Title level={3} style={{ fontSize: 14, margin: '0 0 8px' }}>
        {t('remediation.template.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('remediation.template.hint')}</Typography.Paragraph>
      <Radio.Group
        optionType="button"
        value={chosen?.id}
        onChange={(event) => setChosenId(String(event.target.value))}
        aria-label={t('remediation.template.choose')}
        options={props.items.map((item) => ({
          value: item.id,
          label: t('remediation.template.option', {
            title: localize(item.title),
            party: text('party', item.party),
          }),
        }))}
      />
      {chosen !== null && (
        <div style={{ marginTop: 12 }}>
          <Input.TextArea
            readOnly
            value={chosen.text}
            autoSize={{ minRows: 4, maxRows: 14 }}
            aria-label={t('remediation.template.text', { title: localize(chosen.title) })}
            data-template={chosen.id}
            // The message is Chinese whatever the console's language: it goes to Chinese readers.
            lang="zh-CN"
          />
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            <Button
              icon={<CopyOutlined />}
              onClick={() => void copyText(chosen.text).then(props.onCopied)}
            >
              {t('remediation.template.copy')}
            </Button>
            {props.canLog && (
              <Button type="primary" icon={<FormOutlined />} onClick={() => props.onUse(chosen)}>
                {t('remediation.template.log')}
              </Button>
            )}
          </Flex>
        </div>
      )}
    </div>
  );
}

interface ContactValues {
  party: ContactParty;
  partyName?: string;
  channel: ContactChannel;
  summary: string;
  outcome?: string;
}

function ContactDialog(props: {
  incidentId: string;
  draft: ContactDraft | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, localize } = useT();
  const text = useRemediationText();
  const [form] = Form.useForm<ContactValues>();
  const template = props.draft?.template ?? null;
  return (
    <ActionDialog<ContactValues>
      open={props.draft !== null}
      title={t('remediation.contact.dialog.title')}
      hint={
        template === null
          ? t('remediation.contact.dialog.hint')
          : t('remediation.contact.dialog.templateHint', { title: localize(template.title) })
      }
      confirm={t('remediation.contact.dialog.confirm')}
      form={form}
      initialValues={
        template === null
          ? { party: 'customer', channel: 'phone' }
          : {
              party: template.party,
              channel: template.party === 'customer' ? 'sms' : 'email',
              summary: template.text,
            }
      }
      onClose={props.onClose}
      onSubmit={async (values) => {
        await contactApi.log(props.incidentId, {
          party: values.party,
          partyName: values.partyName?.trim(),
          channel: values.channel,
          summary: values.summary.trim(),
          outcome: values.outcome?.trim(),
          templateId: template?.id,
        });
        props.onDone();
      }}
    >
      <Form.Item name="party" label={t('remediation.contact.party')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={CONTACT_PARTIES.map((value) => ({ value, label: text('party', value) }))}
        />
      </Form.Item>
      <Form.Item
        name="partyName"
        label={t('remediation.contact.partyName')}
        extra={t('remediation.contact.partyNameHint')}
      >
        <Input maxLength={PARTY_NAME_LENGTH_MAX} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="channel"
        label={t('remediation.contact.channel')}
        rules={[{ required: true }]}
      >
        <Select
          virtual={false}
          style={{ width: 200 }}
          options={CONTACT_CHANNELS.map((value) => ({ value, label: text('channel', value) }))}
        />
      </Form.Item>
      <Form.Item
        name="summary"
        label={t('remediation.contact.summary')}
        rules={[
          { required: true, whitespace: true, message: t('remediation.contact.summaryRequired') },
        ]}
      >
        <Input.TextArea rows={5} showCount maxLength={SUMMARY_LENGTH_MAX} />
      </Form.Item>
      <Form.Item name="outcome" label={t('remediation.contact.outcome')}>
        <Input.TextArea rows={2} showCount maxLength={OUTCOME_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}
