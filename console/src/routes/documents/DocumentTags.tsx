import { Tag } from 'antd';
import type { ComparisonResult, DocumentStatus, DocumentType } from '../../api/correction';
import { useT } from '../../i18n';
import { correctionText } from './texts';

const STATUS_COLOURS: Record<DocumentStatus, string> = {
  pending_review: 'blue',
  accepted: 'green',
  rejected: 'red',
};

export function DocumentStatusTag({ status }: { status: DocumentStatus }) {
  const i18n = useT();
  return <Tag color={STATUS_COLOURS[status]}>{correctionText(i18n, 'documentStatus', status)}</Tag>;
}

export function DocumentTypeText({ type }: { type: DocumentType }) {
  const i18n = useT();
  return <>{correctionText(i18n, 'documentType', type)}</>;
}

const COMPARISON_COLOURS: Record<ComparisonResult, string> = {
  match: 'green',
  mismatch: 'red',
  expired: 'volcano',
  not_checked: 'default',
};

export function ComparisonTag({ result }: { result: ComparisonResult }) {
  const i18n = useT();
  return <Tag color={COMPARISON_COLOURS[result]}>{correctionText(i18n, 'comparison', result)}</Tag>;
}

/** Past its valid-until date: the document no longer counts for a change. */
export function ExpiredTag() {
  const { t } = useT();
  return <Tag color="volcano">{t('correction.document.expired')}</Tag>;
}
