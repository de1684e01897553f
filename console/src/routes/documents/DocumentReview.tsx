import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Form, Input, Table, Typography } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { documentApi } from '../../api/correction';
import type { DocumentComparison, MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { ComparisonTag } from './DocumentTags';
import { CorrectionProblem } from './problem';
import {
  DATE_FIELDS,
  DATE_PATTERN,
  FIELDS_BY_TYPE,
  REVIEW_FIELDS,
  cleanReviewFields,
  storedField,
} from './fields';
import type { ReviewField } from './fields';
import { correctionText } from './texts';

const NOTE_LENGTH_MAX = 500;
const FIELD_LENGTH_MAX = 64;

type Values = Partial<Record<ReviewField, string>> & { note?: string };

/**
 * The reviewer's side of a document: what it says (typed in by the reviewer, in full: the server
 * keeps ID and account numbers sealed and shows them masked from then on) and the decision. A
 * rejection needs the reason the merchant will read. The registry comparisons come back with the
 * answer and are shown in `ReviewOutcome`.
 */
export function ReviewForm({
  document,
  onReviewed,
}: {
  document: MerchantDocument;
  onReviewed: (document: MerchantDocument) => void;
}) {
  const i18n = useT();
  const { t } = i18n;
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState<'accepted' | 'rejected' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fields = FIELDS_BY_TYPE[document.type] ?? REVIEW_FIELDS;

  const submit = async (result: 'accepted' | 'rejected') => {
    setError(null);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const note = values.note?.trim() ?? '';
    if (result === 'rejected' && note === '') {
      form.setFields([{ name: 'note', errors: [t('correction.review.noteRequired')] }]);
      return;
    }
    setSaving(result);
    try {
      const reviewed = await documentApi.review(document.id, {
        result,
        note: note === '' ? undefined : note,
        fields: cleanReviewFields(values),
      });
      onReviewed(reviewed);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(null);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" aria-label={t('correction.review.formLabel')}>
      <Typography.Paragraph type="secondary">{t('correction.review.hint')}</Typography.Paragraph>
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <CorrectionProblem error={error} />
        </div>
      )}
      {fields.map((field) => {
        const date = DATE_FIELDS.includes(field);
        return (
          <Form.Item
            key={field}
            name={field}
            label={correctionText(i18n, 'field', field)}
            htmlFor={`review-${field}`}
            rules={
              date
                ? [{ pattern: DATE_PATTERN, message: t('correction.review.dateFormat') }]
                : [{ max: FIELD_LENGTH_MAX, message: t('correction.review.tooLong') }]
            }
            extra={
              field === 'idNumber' || field === 'accountNumber'
                ? t('correction.review.sealedHint')
                : undefined
            }
          >
            <Input
              id={`review-${field}`}
              autoComplete="off"
              maxLength={date ? 10 : FIELD_LENGTH_MAX}
              placeholder={date ? 'YYYY-MM-DD' : undefined}
            />
          </Form.Item>
        );
      })}
      <Form.Item
        name="note"
        label={t('correction.review.note')}
        htmlFor="review-note"
        extra={t('correction.review.noteHint')}
      >
        <Input.TextArea id="review-note" rows={3} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
      <Flex gap={12}>
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={saving === 'accepted'}
          disabled={saving !== null}
          onClick={() => void submit('accepted')}
        >
          {t('correction.review.accept')}
        </Button>
        <Button
          danger
          icon={<CloseOutlined />}
          loading={saving === 'rejected'}
          disabled={saving !== null}
          onClick={() => void submit('rejected')}
        >
          {t('correction.review.reject')}
        </Button>
      </Flex>
    </Form>
  );
}

/** What was read off a reviewed document (numbers masked) and the decision. */
export function ReviewOutcome({ document }: { document: MerchantDocument }) {
  const i18n = useT();
  const { t, tCode, formatDateTime } = i18n;
  const none = t('common.none');
  const review = document.review;
  const items: DescriptionsProps['items'] = [];
  if (review !== null) {
    items.push(
      {
        key: 'by',
        label: t('correction.review.by'),
        children: <Identifier>{tCode('actor', review.by) ?? review.by}</Identifier>,
      },
      { key: 'at', label: t('correction.review.at'), children: formatDateTime(review.at) },
      {
        key: 'note',
        label:
          document.status === 'rejected'
            ? t('correction.review.rejectionReason')
            : t('correction.review.note'),
        children: (
          <span style={{ whiteSpace: 'pre-wrap' }}>
            {review.note !== null && review.note !== '' ? review.note : none}
          </span>
        ),
      },
    );
  }
  for (const field of REVIEW_FIELDS) {
    const value = storedField(document.fields, field);
    if (value === null) continue;
    items.push({
      key: field,
      label: correctionText(i18n, 'field', field),
      children: <Identifier>{value}</Identifier>,
    });
  }
  return <Descriptions bordered size="small" column={1} items={items} />;
}

/** Each field compared with the registry when the document was reviewed. */
export function ComparisonTable({ comparisons }: { comparisons: DocumentComparison[] }) {
  const i18n = useT();
  const { t, localize } = i18n;
  const columns: TableColumnsType<DocumentComparison> = [
    {
      title: t('correction.comparison.field'),
      dataIndex: 'field',
      render: (value: string) => correctionText(i18n, 'field', value),
    },
    {
      title: t('correction.comparison.result'),
      dataIndex: 'result',
      render: (value: DocumentComparison['result']) => <ComparisonTag result={value} />,
    },
    {
      title: t('correction.comparison.message'),
      dataIndex: 'message',
      render: (value: DocumentComparison['message']) => (
        <div style={{ minWidth: 200, whiteSpace: 'normal' }}>{localize(value)}</div>
      ),
    },
  ];
  return (
    <Table<DocumentComparison>
      rowKey="field"
      size="small"
      columns={columns}
      dataSource={comparisons}
      pagination={false}
      locale={{ emptyText: t('correction.comparison.none') }}
    />
  );
}
