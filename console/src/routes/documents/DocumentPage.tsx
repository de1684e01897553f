import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Col, Descriptions, Flex, Row, Skeleton, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { documentApi } from '../../api/correction';
import type { MerchantDocument } from '../../api/correction';
import { merchantApi } from '../../api/endpoints';
import { useT } from '../../i18n';
import { formatBytes } from '../incidents/EvidenceSection';
import { Identifier } from '../common/Identifier';
import { SectionCard } from '../common/SectionCard';
import { useLoader } from '../common/use-loader';
import { merchantPath } from '../merchants/MerchantListPage';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { useCurrentUser } from '../session/session';
import { DocumentPreview } from './DocumentPreview';
import { ComparisonTable, ReviewForm, ReviewOutcome } from './DocumentReview';
import { DocumentStatusTag, DocumentTypeText, ExpiredTag } from './DocumentTags';
import { DOCUMENTS_PATH } from './paths';
import { canReadDocumentQueue, canReviewDocuments } from './permissions';
import { CorrectionProblem } from './problem';

/**
 * One document: the picture or PDF on the left, on the right what it is, what the registry says
 * it should match, and the review (the form while it waits; then what was read, the comparisons
 * and the decision). Staff reach it from the queue, a merchant user from its merchant page.
 */
export function DocumentPage() {
  const { t } = useT();
  const user = useCurrentUser();
  const documentId = useParams().documentId ?? '';
  const document = useLoader(documentId, (signal) => documentApi.get(documentId, signal));

  if (
    document.status === 'failed' &&
    document.error instanceof ApiError &&
    document.error.status === 404
  ) {
    return <NotFoundPage />;
  }
  const back =
    canReadDocumentQueue(user.role) || document.data === undefined ? (
      <Link to={DOCUMENTS_PATH}>
        <ArrowLeftOutlined /> {t('correction.document.backToQueue')}
      </Link>
    ) : (
      <Link to={merchantPath(document.data.merchantNo)}>
        <ArrowLeftOutlined /> {t('correction.document.backToMerchant')}
      </Link>
    );
  return (
    <>
      {back}
      {document.status === 'loading' && <Skeleton active style={{ marginTop: 16 }} />}
      {document.status === 'failed' && (
        <div style={{ marginTop: 16 }}>
          <CorrectionProblem error={document.error} onRetry={document.reload} />
        </div>
      )}
      {document.status === 'ready' && (
        <DocumentView document={document.data} onChanged={document.refresh} />
      )}
    </>
  );
}

function DocumentView({
  document,
  onChanged,
}: {
  document: MerchantDocument;
  onChanged: () => void;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const reviewing = document.status === 'pending_review' && canReviewDocuments(user.role);
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          <DocumentTypeText type={document.type} />
        </Typography.Title>
        <DocumentStatusTag status={document.status} />
        {document.expired && <ExpiredTag />}
        <Typography.Text type="secondary">
          {t('merchant.merchantNo')} {document.merchantNo}
        </Typography.Text>
      </Flex>
      {document.status === 'rejected' && document.review !== null && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('correction.document.rejectedBanner')}
          description={t('correction.document.rejectedReason', {
            reason: document.review.note ?? t('common.none'),
          })}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.document.file')}>
            <DocumentPreview document={document} />
          </SectionCard>
        </Col>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.document.details')}>
            <DocumentDetails document={document} />
          </SectionCard>
          {user.role !== 'merchant' && (
            <SectionCard title={t('correction.document.registry')}>
              <RegistryReference merchantNo={document.merchantNo} />
            </SectionCard>
          )}
          <SectionCard
            title={reviewing ? t('correction.review.title') : t('correction.review.outcome')}
          >
            {reviewing ? (
              <ReviewForm document={document} onReviewed={onChanged} />
            ) : document.review === null ? (
              <Typography.Text type="secondary">{t('correction.review.waiting')}</Typography.Text>
            ) : (
              <ReviewOutcome document={document} />
            )}
          </SectionCard>
          {!reviewing && document.review !== null && (
            <SectionCard title={t('correction.comparison.title')}>
              <ComparisonTable comparisons={document.comparisons} />
            </SectionCard>
          )}
        </Col>
      </Row>
    </>
  );
}

function DocumentDetails({ document }: { document: MerchantDocument }) {
  const { t, tCode, formatDateTime } = useT();
  const items: DescriptionsProps['items'] = [
    {
      key: 'merchant',
      label: t('correction.document.merchant'),
      children: (
        <Link to={merchantPath(document.merchantNo)}>
          <Identifier>{document.merchantNo}</Identifier>
        </Link>
      ),
    },
    {
      key: 'type',
      label: t('correction.document.type'),
      children: <DocumentTypeText type={document.type} />,
    },
    {
      key: 'file',
      label: t('correction.document.fileName'),
      children: `${document.fileName} (${formatBytes(document.sizeBytes)})`,
    },
    {
      key: 'uploaded',
      label: t('correction.document.uploaded'),
      children: t('correction.document.uploadedBy', {
        at: formatDateTime(document.uploadedAt),
        by: tCode('actor', document.uploadedBy) ?? document.uploadedBy,
      }),
    },
    {
      key: 'expiresOn',
      label: t('correction.document.expiresOn'),
      children: (
        <Flex gap={8} align="center">
          {document.expiresOn ?? t('common.none')}
          {document.expired && <ExpiredTag />}
        </Flex>
      ),
    },
    {
      key: 'sha256',
      label: 'SHA-256',
      children: (
        <Typography.Text code copyable style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {document.sha256}
        </Typography.Text>
      ),
    },
  ];
  return <Descriptions bordered size="small" column={1} items={items} />;
}

/** What the registry holds, for the reviewer to hold the document against. */
function RegistryReference({ merchantNo }: { merchantNo: string }) {
  const { t } = useT();
  const merchant = useLoader(`registry:${merchantNo}`, (signal) =>
    merchantApi.get(merchantNo, signal),
  );
  if (merchant.status === 'loading') return <Skeleton active paragraph={{ rows: 3 }} />;
  if (merchant.status === 'failed') {
    return <CorrectionProblem error={merchant.error} onRetry={merchant.reload} />;
  }
  const data = merchant.data;
  const none = t('common.none');
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('merchant.name'), children: data.name },
    {
      key: 'uscc',
      label: t('merchant.uscc'),
      children: <Identifier>{data.uscc ?? none}</Identifier>,
    },
    { key: 'legalPerson', label: t('merchant.legalPerson'), children: data.legalPerson.name },
    {
      key: 'legalPersonId',
      label: t('merchant.legalPersonId'),
      children: <Identifier>{data.legalPerson.idNumberMasked}</Identifier>,
    },
    {
      key: 'account',
      label: t('account.current'),
      children:
        data.settlementAccount === null ? (
          none
        ) : (
          <Identifier>
            {data.settlementAccount.accountNumberMasked} {data.settlementAccount.accountName}
          </Identifier>
        ),
    },
  ];
  return <Descriptions bordered size="small" column={1} items={items} />;
}
