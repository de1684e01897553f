import { FilePdfOutlined, FileTextOutlined, SendOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Input, Select, Table, Typography, message } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { saveFile } from '../../api/client';
import { evidenceApi } from '../../api/endpoints';
import type { CaseFileFormat } from '../../api/endpoints';
import { CASE_FILE_CHANNELS } from '../../api/types';
import type { CaseFileSubmission } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';
import { useCurrentUser } from '../session/session';
import { ActionDialog } from './ActionDialog';
import { canRecordCaseFileSent } from './permissions';
import { knownKey } from './texts';

const SENT_TO_LENGTH_MAX = 200;
const REFERENCE_LENGTH_MAX = 200;

/**
 * The case file the acquirer sends to the bank or the payment institution: downloaded as the
 * Chinese PDF (or JSON for systems), and each sending recorded with whom, how and the reference
 * the other side gave, so that the follow-up can quote it.
 */
export function CaseFileSection({ incidentId, drill }: { incidentId: string; drill: boolean }) {
  const { t, formatDateTime } = useT();
  const user = useCurrentUser();
  const submissions = useLoader(`submissions:${incidentId}`, (signal) =>
    evidenceApi.submissions(incidentId, signal),
  );
  const [downloading, setDownloading] = useState<CaseFileFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [recording, setRecording] = useState(false);
  const [toast, toastHolder] = message.useMessage();

  const download = async (format: CaseFileFormat) => {
    setDownloading(format);
    setError(null);
    try {
      saveFile(await evidenceApi.caseFile(incidentId, format));
    } catch (caught) {
      setError(caught);
    } finally {
      setDownloading(null);
    }
  };

  const channelText = (channel: string) => {
    const key = knownKey(`caseFile.channel.${channel}`);
    return key === undefined ? channel : t(key);
  };
  const columns: TableColumnsType<CaseFileSubmission> = [
    {
      title: t('caseFile.col.sentAt'),
      dataIndex: 'sentAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    { title: t('caseFile.col.sentTo'), dataIndex: 'sentTo' },
    { title: t('caseFile.col.channel'), dataIndex: 'channel', render: channelText },
    {
      title: t('caseFile.col.reference'),
      dataIndex: 'reference',
      render: (value: string | null) =>
        value === null ? t('common.none') : <Typography.Text copyable>{value}</Typography.Text>,
    },
    {
      title: t('caseFile.col.recordedBy'),
      key: 'recorded',
      render: (_: unknown, row) => (
        <Identifier>{`${row.recordedBy} · ${formatDateTime(row.recordedAt)}`}</Identifier>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      {toastHolder}
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {drill ? t('caseFile.drillHint') : t('caseFile.hint')}
      </Typography.Paragraph>
      <Flex gap={8} wrap>
        <Button
          type="primary"
          icon={<FilePdfOutlined />}
          loading={downloading === 'pdf'}
          onClick={() => void download('pdf')}
        >
          {t('caseFile.downloadPdf')}
        </Button>
        <Button
          icon={<FileTextOutlined />}
          loading={downloading === 'json'}
          onClick={() => void download('json')}
        >
          {t('caseFile.downloadJson')}
        </Button>
        {canRecordCaseFileSent(user.role) && (
          <Button icon={<SendOutlined />} onClick={() => setRecording(true)}>
            {t('caseFile.recordSent')}
          </Button>
        )}
      </Flex>
      {error !== null && <ProblemAlert error={error} />}
      <Typography.Title level={3} style={{ fontSize: 14, margin: 0 }}>
        {t('caseFile.submissions')}
      </Typography.Title>
      {submissions.status === 'failed' ? (
        <ProblemAlert error={submissions.error} onRetry={submissions.reload} />
      ) : (
        <Table<CaseFileSubmission>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={submissions.data?.items ?? []}
          loading={submissions.status === 'loading'}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('caseFile.noSubmissions') }}
        />
      )}
      <RecordSentDialog
        incidentId={incidentId}
        open={recording}
        onClose={() => setRecording(false)}
        onDone={() => {
          setRecording(false);
          void toast.success(t('caseFile.recorded'));
          submissions.refresh();
        }}
      />
    </Flex>
  );
}

interface SentValues {
  sentTo: string;
  channel: string;
  reference?: string;
  sentAt?: Dayjs | null;
}

function RecordSentDialog(props: {
  incidentId: string;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<SentValues>();
  return (
    <ActionDialog<SentValues>
      open={props.open}
      title={t('caseFile.recordSent.title')}
      hint={t('caseFile.recordSent.hint')}
      confirm={t('caseFile.recordSent.confirm')}
      form={form}
      initialValues={{ channel: 'email' }}
      onClose={props.onClose}
      onSubmit={async (values) => {
        await evidenceApi.recordSent(props.incidentId, {
          sentTo: values.sentTo.trim(),
          channel: values.channel,
          reference: values.reference?.trim(),
          sentAt: values.sentAt ? values.sentAt.toDate().toISOString() : undefined,
        });
        props.onDone();
      }}
    >
      <Form.Item
        name="sentTo"
        label={t('caseFile.sentTo')}
        extra={t('caseFile.sentToHint')}
        rules={[{ required: true, whitespace: true, message: t('caseFile.sentToRequired') }]}
      >
        <Input maxLength={SENT_TO_LENGTH_MAX} />
      </Form.Item>
      <Form.Item name="channel" label={t('caseFile.channel')} rules={[{ required: true }]}>
        <Select
          virtual={false}
          options={CASE_FILE_CHANNELS.map((value) => ({
            value,
            label: t(`caseFile.channel.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="reference"
        label={t('caseFile.reference')}
        extra={t('caseFile.referenceHint')}
      >
        <Input maxLength={REFERENCE_LENGTH_MAX} />
      </Form.Item>
      <Form.Item name="sentAt" label={t('caseFile.sentAt')} extra={t('caseFile.sentAtHint')}>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          // The case file is recorded after it went out: no time in the future.
          disabledDate={(date) => date.isAfter(new Date(), 'day')}
        />
      </Form.Item>
    </ActionDialog>
  );
}
