import {
  CheckCircleFilled,
  CloseCircleFilled,
  DownloadOutlined,
  FileZipOutlined,
  SafetyOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Table, Tag, Typography, Upload, message } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { useState } from 'react';
import { saveFile } from '../../api/client';
import { EVIDENCE_FILE_BYTES_MAX, evidenceApi } from '../../api/endpoints';
import type { EvidenceItem, EvidenceVerification } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';
import { useCurrentUser } from '../session/session';
import { canAddEvidence, canVerifyEvidence } from './permissions';
import { knownKey } from './texts';

const NOTE_LENGTH_MAX = 2000;

/** A size in bytes as people read it: 812 B, 14.2 KB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The incident's evidence: what the system snapshotted at detection and the files people added,
 * each with its SHA-256; a check that nothing changed since; and, for those who may, a file to add.
 * Items can only be added, never changed or removed, so the section has no edit or delete.
 */
export function EvidenceSection({
  incidentId,
  onChanged,
  closed,
}: {
  incidentId: string;
  onChanged: () => void;
  closed: boolean;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const evidence = useLoader(`evidence:${incidentId}`, (signal) =>
    evidenceApi.list(incidentId, signal),
  );
  const [verification, setVerification] = useState<EvidenceVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerification(await evidenceApi.verify(incidentId));
    } catch (caught) {
      setVerification(null);
      setVerifyError(caught);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      {canAddEvidence(user.role) && !closed && (
        <AddEvidence
          incidentId={incidentId}
          onAdded={() => {
            setVerification(null);
            evidence.refresh();
            onChanged();
          }}
        />
      )}
      {canVerifyEvidence(user.role) && (
        <Flex gap={12} align="center" wrap>
          <Button icon={<SafetyOutlined />} loading={verifying} onClick={() => void verify()}>
            {t('evidence.verify')}
          </Button>
          <Button
            icon={<FileZipOutlined />}
            loading={exporting}
            onClick={() => {
              setExporting(true);
              setVerifyError(null);
              evidenceApi
                .bundle(incidentId)
                .then(saveFile, setVerifyError)
                .finally(() => setExporting(false));
            }}
          >
            {t('evidence.bundle')}
          </Button>
          <Typography.Text type="secondary">{t('evidence.verifyHint')}</Typography.Text>
        </Flex>
      )}
      {verifyError !== null && <ProblemAlert error={verifyError} />}
      {verification !== null && <VerificationResult result={verification} />}
      {evidence.status === 'failed' && (
        <ProblemAlert error={evidence.error} onRetry={evidence.reload} />
      )}
      {evidence.status !== 'failed' && (
        <EvidenceTable
          incidentId={incidentId}
          items={evidence.data?.items ?? []}
          loading={evidence.status === 'loading'}
          verification={verification}
        />
      )}
    </Flex>
  );
}

function VerificationResult({ result }: { result: EvidenceVerification }) {
  const { t } = useT();
  const problemText = useProblemText();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        role="status"
        title={t('evidence.verified', { count: result.items })}
        description={t('evidence.verifiedChain', { entries: result.auditChain.entries })}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('evidence.verifyFailed', { count: result.problems.length })}
      description={
        <>
          {t('evidence.verifyFailedHint')}
          <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
            {result.problems.map((problem, index) => (
              <li key={`${problem.code}:${problem.evidenceId ?? index}`}>
                {problemText(problem.code)}
                {problem.sha256 !== null && (
                  <Typography.Text code style={{ fontSize: 12, marginInlineStart: 8 }}>
                    {problem.sha256.slice(0, 16)}…
                  </Typography.Text>
                )}
              </li>
            ))}
          </ul>
        </>
      }
    />
  );
}

function useProblemText() {
  const { t } = useT();
  return (code: string) => {
    const key = knownKey(`evidenceProblem.${code}`);
    return key === undefined ? code : t(key);
  };
}

function EvidenceTable(props: {
  incidentId: string;
  items: EvidenceItem[];
  loading: boolean;
  verification: EvidenceVerification | null;
}) {
  const { t, tCode, formatDateTime } = useT();
  const [error, setError] = useState<unknown>(null);
  const problemText = useProblemText();
  const problemsOf = (id: string) =>
    props.verification?.problems.filter((problem) => problem.evidenceId === id) ?? [];
  const kindText = (kind: string) => {
    const key = knownKey(`evidenceKind.${kind}`);
    return key === undefined ? kind : t(key);
  };
  const columns: TableColumnsType<EvidenceItem> = [
    {
      title: t('evidence.col.createdAt'),
      dataIndex: 'createdAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('evidence.col.kind'),
      dataIndex: 'kind',
      render: (value: string) => (
        <Tag color={value === 'snapshot' ? 'blue' : 'default'}>{kindText(value)}</Tag>
      ),
    },
    {
      title: t('evidence.col.item'),
      key: 'item',
      render: (_: unknown, item) => (
        <div style={{ minWidth: 180, maxWidth: 360 }}>
          <Typography.Text>{item.fileName}</Typography.Text>
          {item.note ? (
            <Typography.Paragraph
              type="secondary"
              style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}
            >
              {item.note}
            </Typography.Paragraph>
          ) : null}
          {typeof item.sizeBytes === 'number' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatBytes(item.sizeBytes)}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: t('evidence.col.sha256'),
      dataIndex: 'sha256',
      render: (value: string) => (
        <Typography.Text
          code
          copyable={{ text: value }}
          style={{ fontSize: 12, wordBreak: 'break-all', display: 'inline-block', maxWidth: 300 }}
          data-sha256={value}
        >
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('evidence.col.createdBy'),
      dataIndex: 'createdBy',
      render: (value: string | null | undefined) => (
        <Identifier>{value ? (tCode('actor', value) ?? value) : t('common.none')}</Identifier>
      ),
    },
    ...(props.verification === null
      ? []
      : [
          {
            title: t('evidence.col.check'),
            key: 'check',
            render: (_: unknown, item: EvidenceItem) => {
              const problems = problemsOf(item.id);
              return problems.length === 0 ? (
                <Typography.Text type="success">
                  <CheckCircleFilled /> {t('evidence.itemOk')}
                </Typography.Text>
              ) : (
                <Typography.Text type="danger">
                  <CloseCircleFilled />{' '}
                  {problems
                    .map((problem) => problemText(problem.code))
                    .join(t('common.listSeparator'))}
                </Typography.Text>
              );
            },
          },
        ]),
    {
      title: t('evidence.col.download'),
      key: 'download',
      render: (_: unknown, item) => (
        <Button
          size="small"
          icon={<DownloadOutlined />}
          aria-label={t('evidence.downloadItem', { name: item.fileName })}
          onClick={() => {
            setError(null);
            evidenceApi.content(props.incidentId, item.id, item.fileName).then(saveFile, setError);
          }}
        >
          {t('evidence.download')}
        </Button>
      ),
    },
  ];
  return (
    <>
      {error !== null && <ProblemAlert error={error} />}
      <Table<EvidenceItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={props.items}
        loading={props.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('evidence.empty') }}
      />
    </>
  );
}

function AddEvidence({ incidentId, onAdded }: { incidentId: string; onAdded: () => void }) {
  const { t } = useT();
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();
  const fileList: UploadFile[] =
    file === null ? [] : [{ uid: 'chosen', name: file.name, status: 'done' }];

  const submit = async () => {
    if (file === null) return;
    setSaving(true);
    setError(null);
    try {
      const item = await evidenceApi.add(incidentId, file, note.trim());
      setFile(null);
      setNote('');
      void toast.success(t('evidence.added', { hash: item.sha256.slice(0, 12) }));
      onAdded();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form layout="vertical" onFinish={() => void submit()}>
      {toastHolder}
      <Typography.Paragraph type="secondary">{t('evidence.addHint')}</Typography.Paragraph>
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={error} />
        </div>
      )}
      <Flex gap={16} wrap align="flex-start">
        <Form.Item label={t('evidence.file')} required style={{ marginBottom: 8 }}>
          <Upload
            maxCount={1}
            fileList={fileList}
            accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt"
            beforeUpload={(chosen) => {
              if (chosen.size > EVIDENCE_FILE_BYTES_MAX) {
                setError(null);
                void toast.error(
                  t('evidence.tooLarge', { max: formatBytes(EVIDENCE_FILE_BYTES_MAX) }),
                );
                return Upload.LIST_IGNORE;
              }
              setFile(chosen);
              // Kept here and sent with the note on submit, not uploaded on choice.
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>{t('evidence.choose')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item
          label={t('evidence.note')}
          htmlFor="evidence-note"
          style={{ flex: 1, minWidth: 260, marginBottom: 8 }}
        >
          <Input.TextArea
            id="evidence-note"
            rows={2}
            maxLength={NOTE_LENGTH_MAX}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            placeholder={t('evidence.notePlaceholder')}
          />
        </Form.Item>
      </Flex>
      <Button type="primary" htmlType="submit" disabled={file === null} loading={saving}>
        {t('evidence.add')}
      </Button>
    </Form>
  );
}
