import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Select, Table, Typography, Upload, message } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DOCUMENT_FILE_BYTES_MAX, DOCUMENT_TYPES, documentApi } from '../../api/correction';
import type { DocumentType, MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatBytes } from '../incidents/EvidenceSection';
import { useCurrentUser } from '../session/session';
import { DocumentStatusTag, DocumentTypeText, ExpiredTag } from './DocumentTags';
import { documentPath } from './paths';
import { canUploadDocuments } from './permissions';
import { CorrectionProblem } from './problem';

/** What the file picker offers; the server looks at the content, not the name. */
const ACCEPTED_FILES = '.png,.jpg,.jpeg,.webp,.pdf,image/png,image/jpeg,image/webp,application/pdf';

/**
 * A merchant's documents on its page: what is still missing for its account change and why,
 * those sent back with the reviewer's reason, a form to send one (type and file), and the list.
 */
export function MerchantDocuments({
  merchantNo,
  documents,
  missing,
  onUploaded,
}: {
  merchantNo: string;
  documents: MerchantDocument[];
  /** Document types the open account change still lacks (none without an open change). */
  missing: readonly DocumentType[];
  onUploaded: () => void;
}) {
  const user = useCurrentUser();
  const rejected = documents.filter((document) => document.status === 'rejected');
  // A rejected document whose type was sent again since is no longer news.
  const stillRejected = rejected.filter(
    (document) =>
      !documents.some(
        (other) =>
          other.type === document.type &&
          other.status !== 'rejected' &&
          other.uploadedAt > document.uploadedAt,
      ),
  );
  return (
    <Flex vertical gap={16}>
      {missing.length > 0 && <MissingDocuments missing={missing} />}
      {stillRejected.length > 0 && <RejectedDocuments documents={stillRejected} />}
      {canUploadDocuments(user.role) && (
        <UploadDocument merchantNo={merchantNo} missing={missing} onUploaded={onUploaded} />
      )}
      <DocumentTable documents={documents} />
    </Flex>
  );
}

function MissingDocuments({ missing }: { missing: readonly DocumentType[] }) {
  const { t } = useT();
  return (
    <Alert
      type="warning"
      showIcon
      role="status"
      title={t('correction.documents.missingTitle', { count: missing.length })}
      description={
        <>
          <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
            {missing.map((type) => (
              <li key={type}>
                <DocumentTypeText type={type} />
              </li>
            ))}
          </ul>
          {t('correction.documents.missingWhy')}
        </>
      }
    />
  );
}

function RejectedDocuments({ documents }: { documents: MerchantDocument[] }) {
  const { t } = useT();
  return (
    <Alert
      type="error"
      showIcon
      title={t('correction.documents.rejectedTitle', { count: documents.length })}
      description={
        <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
          {documents.map((document) => (
            <li key={document.id}>
              <Link to={documentPath(document.id)}>
                <DocumentTypeText type={document.type} />
              </Link>{' '}
              {t('correction.documents.rejectedBecause', {
                reason: document.review?.note ?? t('common.none'),
              })}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function UploadDocument({
  merchantNo,
  missing,
  onUploaded,
}: {
  merchantNo: string;
  missing: readonly DocumentType[];
  onUploaded: () => void;
}) {
  const { t } = useT();
  const [type, setType] = useState<DocumentType | undefined>(missing[0]);
  const [file, setFile] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();
  const fileList: UploadFile[] =
    file === null ? [] : [{ uid: 'chosen', name: file.name, status: 'done' }];

  const submit = async () => {
    if (file === null || type === undefined) return;
    setSaving(true);
    setError(null);
    try {
      await documentApi.upload(merchantNo, type, file);
      setFile(null);
      void toast.success(
        t('correction.documents.uploaded', { type: t(`correction.documentType.${type}`) }),
      );
      onUploaded();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form
      layout="vertical"
      onFinish={() => void submit()}
      aria-label={t('correction.documents.uploadTitle')}
    >
      {toastHolder}
      <Typography.Paragraph type="secondary">
        {t('correction.documents.uploadHint', { max: formatBytes(DOCUMENT_FILE_BYTES_MAX) })}
      </Typography.Paragraph>
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <CorrectionProblem error={error} />
        </div>
      )}
      <Flex gap={16} wrap align="flex-end">
        <Form.Item
          label={t('correction.documents.type')}
          htmlFor="document-type"
          required
          style={{ marginBottom: 8 }}
        >
          <Select<DocumentType>
            id="document-type"
            style={{ width: 220 }}
            virtual={false}
            value={type}
            placeholder={t('correction.documents.typePlaceholder')}
            onChange={setType}
            options={DOCUMENT_TYPES.map((value) => ({
              value,
              label: t(`correction.documentType.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('correction.documents.file')} required style={{ marginBottom: 8 }}>
          <Upload
            maxCount={1}
            fileList={fileList}
            accept={ACCEPTED_FILES}
            beforeUpload={(chosen) => {
              if (chosen.size > DOCUMENT_FILE_BYTES_MAX) {
                void toast.error(
                  t('correction.documents.tooLarge', {
                    max: formatBytes(DOCUMENT_FILE_BYTES_MAX),
                  }),
                );
                return Upload.LIST_IGNORE;
              }
              setFile(chosen);
              // Kept here and sent with its type on submit, not uploaded on choice.
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>{t('correction.documents.choose')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item style={{ marginBottom: 8 }}>
          <Button
            type="primary"
            htmlType="submit"
            // Disabled while sending rather than `loading`: the button keeps its name, so that a
            // second document can be sent at once by whoever (or whatever) finds it by name.
            disabled={saving || file === null || type === undefined}
          >
            {t('correction.documents.upload')}
          </Button>
        </Form.Item>
      </Flex>
    </Form>
  );
}

function DocumentTable({ documents }: { documents: MerchantDocument[] }) {
  const { t, tCode, formatDateTime } = useT();
  const none = t('common.none');
  const columns: TableColumnsType<MerchantDocument> = [
    {
      title: t('correction.queue.col.type'),
      key: 'type',
      render: (_: unknown, record) => (
        <Link to={documentPath(record.id)}>
          <DocumentTypeText type={record.type} />
        </Link>
      ),
    },
    {
      title: t('correction.queue.col.file'),
      dataIndex: 'fileName',
      render: (value: string) => (
        <div style={{ maxWidth: 220, whiteSpace: 'normal', wordBreak: 'break-all' }}>{value}</div>
      ),
    },
    {
      title: t('correction.queue.col.status'),
      key: 'status',
      render: (_: unknown, record) => (
        <Flex gap={4} wrap>
          <DocumentStatusTag status={record.status} />
          {record.expired && <ExpiredTag />}
        </Flex>
      ),
    },
    {
      title: t('correction.documents.col.reviewNote'),
      key: 'note',
      render: (_: unknown, record) => (
        <div style={{ maxWidth: 320, whiteSpace: 'normal' }}>
          {record.review?.note !== undefined && record.review.note !== null
            ? record.review.note
            : none}
        </div>
      ),
    },
    {
      title: t('correction.queue.col.expiresOn'),
      dataIndex: 'expiresOn',
      render: (value: string | null) => <Identifier>{value ?? none}</Identifier>,
    },
    {
      title: t('correction.queue.col.uploadedAt'),
      key: 'uploaded',
      render: (_: unknown, record) => (
        <Identifier>
          {formatDateTime(record.uploadedAt)}{' '}
          {tCode('actor', record.uploadedBy) ?? record.uploadedBy}
        </Identifier>
      ),
    },
  ];
  return (
    <Table<MerchantDocument>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={documents}
      pagination={documents.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('correction.documents.empty') }}
    />
  );
}
