import { Alert, Button } from 'antd';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n';
import type { I18n } from '../../i18n';

/** What to tell the user about a failed call: a sentence in their language, never a raw code. */
export function describeProblem(error: unknown, i18n: Pick<I18n, 't' | 'tCode'>): string {
  if (error instanceof ApiError) {
    const known = i18n.tCode('error', error.code);
    if (known !== undefined) return known;
    if (error.detail !== undefined && error.detail !== '') {
      return i18n.t('problem.genericWithDetail', { detail: error.detail });
    }
  }
  return i18n.t('problem.generic');
}

/** The per-field problems of a failed call, each translated by its code when the console knows it. */
export function describeFieldProblems(
  error: unknown,
  i18n: Pick<I18n, 'tCode'>,
): { path: string; text: string }[] {
  if (!(error instanceof ApiError)) return [];
  return error.errors.map((fieldError) => ({
    path: fieldError.path,
    text: i18n.tCode('error', fieldError.code) ?? fieldError.message,
  }));
}

export function ProblemAlert({
  error,
  onRetry,
  i18n: words,
}: {
  error: unknown;
  onRetry?: () => void;
  /** Words of a part with codes of its own (documents, account changes); else the console's. */
  i18n?: I18n;
}) {
  const own = useT();
  const i18n = words ?? own;
  const fields = describeFieldProblems(error, i18n);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={describeProblem(error, i18n)}
      description={
        fields.length > 0 ? (
          <>
            {i18n.t('problem.fields')}
            <ul>
              {fields.map((field) => (
                <li key={`${field.path}:${field.text}`}>
                  <code>{field.path}</code> {field.text}
                </li>
              ))}
            </ul>
          </>
        ) : undefined
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {i18n.t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
