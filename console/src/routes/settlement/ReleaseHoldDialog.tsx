import { settlementApi } from '../../api/endpoints';
import type { SettlementRelease } from '../../api/types';
import { useT } from '../../i18n';
import { REASON_LENGTH_MAX, ReasonDialog } from '../common/ReasonDialog';

/**
 * Asks for the reason and releases a merchant's held money (admin, approver). The server refuses
 * while the merchant has no active verified account or an open incident; the refusal is shown
 * in words in the dialog, which stays open.
 */
export function ReleaseHoldDialog(props: {
  merchantNo: string | null;
  onClose: () => void;
  onDone: (release: SettlementRelease) => void;
}) {
  const { t } = useT();
  const merchantNo = props.merchantNo;
  return (
    <ReasonDialog
      open={merchantNo !== null}
      cancel={t('common.cancel')}
      text={{
        title: t('settlement.release.title', { merchantNo: merchantNo ?? '' }),
        hint: t('settlement.release.hint'),
        label: t('settlement.release.reason'),
        placeholder: t('settlement.release.reasonPlaceholder'),
        required: t('settlement.release.reasonRequired'),
        tooLong: t('settlement.release.reasonTooLong', { max: REASON_LENGTH_MAX }),
        confirm: t('settlement.release.confirm'),
      }}
      onSubmit={async (reason) => {
        if (merchantNo === null) return;
        props.onDone(await settlementApi.releaseHold(merchantNo, reason));
      }}
      onClose={props.onClose}
    />
  );
}
