import { useMemo } from 'react';
import { useT } from '../../i18n';
import type { I18n } from '../../i18n';
import { ProblemAlert } from '../common/problem';
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
  return <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} i18n={i18n} />;
}
