import { terminalApi } from '../../api/endpoints';
import { useT } from '../../i18n';
import { REASON_LENGTH_MAX, ReasonDialog } from '../common/ReasonDialog';

export type TerminalStatusAction = 'suspend' | 'resume';

/**
 * Asks for the reason and suspends or resumes one terminal. `onDone` is told after the server
 * has taken it; the caller reloads what it shows.
 */
export function TerminalStatusDialog(props: {
  target: { terminalId: string; action: TerminalStatusAction } | null;
  onClose: () => void;
  onDone: (terminalId: string, action: TerminalStatusAction) => void;
}) {
  const { t } = useT();
  const target = props.target;
  const suspend = target?.action === 'suspend';
  const terminalId = target?.terminalId ?? '';
  return (
    <ReasonDialog
      open={target !== null}
      danger={suspend}
      cancel={t('common.cancel')}
      text={{
        title: t(suspend ? 'terminalAction.suspendTitle' : 'terminalAction.resumeTitle', {
          terminalId,
        }),
        hint: t(suspend ? 'terminalAction.suspendHint' : 'terminalAction.resumeHint'),
        label: t('terminalAction.reason'),
        placeholder: t('terminalAction.reasonPlaceholder'),
        required: t('terminalAction.reasonRequired'),
        tooLong: t('terminalAction.reasonTooLong', { max: REASON_LENGTH_MAX }),
        confirm: t(suspend ? 'terminalAction.confirmSuspend' : 'terminalAction.confirmResume'),
      }}
      onSubmit={async (reason) => {
        if (target === null) return;
        await terminalApi.changeStatus(target.terminalId, target.action, reason);
        props.onDone(target.terminalId, target.action);
      }}
      onClose={props.onClose}
    />
  );
}
