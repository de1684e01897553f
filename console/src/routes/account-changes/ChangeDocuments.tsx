import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Flex, Form, List, Row, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { accountChangeApi, documentApi } from '../../api/correction';
import type { AccountChange, AttachedDocument, MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { useLoader } from '../common/use-loader';
import {
  ComparisonTag,
  DocumentStatusTag,
  DocumentTypeText,
  ExpiredTag,
} from '../documents/DocumentTags';
import { REVIEW_FIELDS, storedField } from '../documents/fields';
import { documentPath } from '../documents/paths';
import { CorrectionProblem } from '../documents/problem';
import { correctionText } from '../documents/texts';

/**
 * The request's documents side by side: on the left every type it needs, each missing (none
 * attached that is accepted or waiting for review and unexpired) or with where its document
 * stands; on the right those attached, each with what the reviewer read off it (numbers masked)
 * and how that compared with the registry and the requested account. The request lists its
 * documents in short; what was read comes from the merchant's documents.
 */
export function ChangeDocuments({
  change,
  onChanged,
}: {
  change: AccountChange;
  onChanged: () => void;
}) {
  const { t } = useT();
  const full = useLoader(
    `change-documents:${change.merchantNo}:${change.documents.map((d) => `${d.id}${d.status}`).join()}`,
    (signal) => documentApi.ofMerchant(change.merchantNo, signal),
  );
  const byId = new Map((full.data?.items ?? []).map((document) => [document.id, document]));
  const rows: ChangeDocumentRow[] = change.documents.map((document) => ({
    ...document,
    full: byId.get(document.id),
  }));
  const needed = change.documentsNeeded ?? change.requiredDocuments;
  const missing = new Set(change.requiredDocuments);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7}>
        <Typography.Title level={3} style={{ fontSize: 15, marginTop: 0 }}>
          {t('correction.change.requiredTitle')}
        </Typography.Title>
        {needed.length === 0 ? (
          <Typography.Text type="secondary">{t('correction.change.noneNeeded')}</Typography.Text>
        ) : (
          <List
            size="small"
            bordered
            aria-label={t('correction.change.requiredTitle')}
            dataSource={needed}
            renderItem={(type) => {
              const attached = change.documents.filter((document) => document.type === type);
              const best =
                attached.find((document) => document.status === 'accepted') ??
                attached.find((document) => document.status === 'pending_review') ??
                attached[0];
              return (
                <List.Item data-document-type={type}>
                  <DocumentTypeText type={type} />
                  {missing.has(type) || best === undefined ? (
                    <Tag color="red">{t('correction.change.missing')}</Tag>
                  ) : (
                    <DocumentStatusTag status={best.status} />
                  )}
                </List.Item>
              );
            }}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
          {change.requiredDocuments.length === 0
            ? t('correction.change.noneMissing')
            : t('correction.change.requiredHint')}
        </Typography.Paragraph>
      </Col>
      <Col xs={24} lg={17}>
        <Typography.Title level={3} style={{ fontSize: 15, marginTop: 0 }}>
          {t('correction.change.attachedTitle')}
        </Typography.Title>
        {full.status === 'failed' && (
          <div style={{ marginBottom: 8 }}>
            <CorrectionProblem error={full.error} onRetry={full.reload} />
          </div>
        )}
        <AttachedTable documents={rows} loading={full.status === 'loading'} />
        {change.allowedActions.includes('attach_documents') && (
          <AttachMore change={change} documents={full.data?.items ?? []} onChanged={onChanged} />
        )}
      </Col>
    </Row>
  );
}

/** An attached document, with the whole document when the merchant's list has it. */
type ChangeDocumentRow = AttachedDocument & { full: MerchantDocument | undefined };

function AttachedTable({
  documents,
  loading,
}: {
  documents: ChangeDocumentRow[];
  loading: boolean;
}) {
  const i18n = useT();
  const { t, localize } = i18n;
  const columns: TableColumnsType<ChangeDocumentRow> = [
    {
      title: t('correction.queue.col.type'),
      key: 'type',
      render: (_: unknown, record) => (
        <Flex vertical gap={4} align="flex-start">
          <Link to={documentPath(record.id)}>
            <DocumentTypeText type={record.type} />
          </Link>
          <Flex gap={4}>
            <DocumentStatusTag status={record.status} />
            {record.expired === true && <ExpiredTag />}
          </Flex>
        </Flex>
      ),
    },
    {
      title: t('correction.change.fieldsRead'),
      key: 'fields',
      render: (_: unknown, record) => {
        const fields = record.full?.fields;
        const read = REVIEW_FIELDS.flatMap((field) => {
          const value = fields === undefined ? null : storedField(fields, field);
          return value === null ? [] : [{ field, value }];
        });
        if (read.length === 0) {
          return (
            <Typography.Text type="secondary">
              {record.status === 'pending_review'
                ? t('correction.change.notRead')
                : t('common.none')}
            </Typography.Text>
          );
        }
        return (
          <dl style={{ margin: 0, minWidth: 200 }}>
            {read.map(({ field, value }) => (
              <div key={field} style={{ display: 'flex', gap: 8 }}>
                <dt style={{ color: 'rgba(0,0,0,0.45)' }}>
                  {correctionText(i18n, 'field', field)}
                </dt>
                <dd style={{ margin: 0 }}>
                  <Identifier>{value}</Identifier>
                </dd>
              </div>
            ))}
          </dl>
        );
      },
    },
    {
      title: t('correction.comparison.title'),
      key: 'comparisons',
      render: (_: unknown, record) => {
        const comparisons = record.full?.comparisons ?? [];
        if (comparisons.length === 0) {
          return (
            <Typography.Text type="secondary">{t('correction.comparison.none')}</Typography.Text>
          );
        }
        return (
          <Flex vertical gap={4} style={{ minWidth: 240, maxWidth: 420 }}>
            {comparisons.map((comparison) => (
              <div key={comparison.field} style={{ whiteSpace: 'normal' }}>
                <ComparisonTag result={comparison.result} />
                {localize(comparison.message)}
              </div>
            ))}
          </Flex>
        );
      },
    },
    {
      title: t('correction.documents.col.reviewNote'),
      key: 'note',
      render: (_: unknown, record) => (
        <div style={{ maxWidth: 240, whiteSpace: 'normal' }}>
          {record.reviewNote ?? record.full?.review?.note ?? t('common.none')}
        </div>
      ),
    },
  ];
  return (
    <Table<ChangeDocumentRow>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={documents}
      loading={loading && documents.length > 0}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{
        emptyText: (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('correction.change.noneAttached')}
          />
        ),
      }}
    />
  );
}

/** Attach documents of the merchant already sent but not yet on this request. */
function AttachMore({
  change,
  documents,
  onChanged,
}: {
  change: AccountChange;
  documents: MerchantDocument[];
  onChanged: () => void;
}) {
  const { t } = useT();
  const [chosen, setChosen] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attached = new Set(change.documents.map((document) => document.id));
  const candidates = documents.filter(
    (document) => !attached.has(document.id) && document.status !== 'rejected',
  );
  if (candidates.length === 0) return null;
  return (
    <Form
      layout="inline"
      style={{ marginTop: 12, rowGap: 8 }}
      onFinish={() => {
        setSaving(true);
        setError(null);
        accountChangeApi
          .attachDocuments(change.id, chosen)
          .then(() => {
            setChosen([]);
            onChanged();
          }, setError)
          .finally(() => setSaving(false));
      }}
    >
      {error !== null && (
        <div style={{ width: '100%' }}>
          <CorrectionProblem error={error} />
        </div>
      )}
      <Form.Item label={t('correction.change.attachLabel')} htmlFor="attach-documents">
        <Select<string[]>
          id="attach-documents"
          mode="multiple"
          virtual={false}
          style={{ minWidth: 320 }}
          value={chosen}
          onChange={setChosen}
          options={candidates.map((document) => ({
            value: document.id,
            label: `${t(`correction.documentType.${document.type}`)} · ${document.fileName}`,
          }))}
        />
      </Form.Item>
      <Form.Item>
        <Button
          htmlType="submit"
          icon={<PaperClipOutlined />}
          disabled={chosen.length === 0}
          loading={saving}
        >
          {t('correction.change.attach')}
        </Button>
      </Form.Item>
    </Form>
  );
}
