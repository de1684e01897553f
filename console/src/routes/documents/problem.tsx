import { Alert, Button } from 'antd';
import { useMemo } from 'react';
import { useT } from '../../i18n';
import type { I18n } from '../../i18n';
import { describeFieldProblems, describeProblem } from '../common/problem';
import { correctionKey } from './texts';

/**
 * The console's words, with the refusals of documents and account changes (four eyes, documents
 * missing, attempts used up…) read from `correction.error.<code>` before the general `error.`
 * ones: the same code may need different words here (a note required to reject a document).
 */
export function useCorrectionI18n(): I18n {
  const i18n = useT();
  return useMemo<I18n>(
    () => ({
      ...i18n,
      tCode: (prefix, code) => {
        if (prefix === 'error') {
          const key = correctionKey('error', code);
          if (key !== undefined) return i18n.t(key);
        }
        return i18n.tCode(prefix, code);
      },
    }),
    [i18n],
  );
}

/** A refusal or failure in words, as common/problem's ProblemAlert, with the correction codes. */
export function CorrectionProblem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const i18n = useCorrectionI18n();
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
