import { message } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { remediationApi } from '../../api/remediation';
import type { AffectedTransaction, Remediation } from '../../api/remediation';
import type { IncidentDetail } from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { SectionCard } from '../common/SectionCard';
import { useLoader } from '../common/use-loader';
import { useCurrentUser } from '../session/session';
import { AffectedPayments } from './AffectedPayments';
import { ContactLog } from './ContactLog';
import {
  canLogContacts,
  canMarkRefundPaid,
  canRecordReceipt,
  canWorkRemediations,
  canWriteOff,
  readsRemediations,
  seesRemediationWork,
} from './permissions';
import { RecoveryCases } from './RecoveryCases';
import { Refunds } from './Refunds';
import { CreateRemediationDialog, UpdateRemediationDialog } from './RemediationDialogs';
import { RemediationList } from './RemediationList';
import { affectedKey } from './model';

/**
 * Making whole, on the incident page: the affected payments, the remediation of each, the
 * recovery case, the cardholders' refunds and the contact log. A merchant user reads what the
 * API gives it, without acting: the affected payments, the status of each remediation (no
 * owners, notes or history), a recovery case or refund when there is one; no contact log.
 */
export function RemediationSections({
  incident,
  onChanged,
}: {
  incident: IncidentDetail;
  onChanged: () => void;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const staff = seesRemediationWork(user.role);
  const open = incident.status !== 'closed';
  const mayWork = canWorkRemediations(user.role) && open;
  const id = incident.id;

  const remediations = useLoader(`remediations:${id}`, (signal) => remediationApi.list(id, signal));
  const affected = useLoader(`affected:${id}`, (signal) => remediationApi.affected(id, signal));
  const recovery = useLoader(`recovery:${id}`, (signal) =>
    remediationApi.recoveryCases(id, signal),
  );
  const [creating, setCreating] = useState<AffectedTransaction | null>(null);
  const [updating, setUpdating] = useState<Remediation | null>(null);
  const [toast, toastHolder] = message.useMessage();

  // The incident changed (an action here, someone else's, an escalation): follow it quietly.
  const seen = useRef(incident.updatedAt);
  useEffect(() => {
    if (seen.current === incident.updatedAt) return;
    seen.current = incident.updatedAt;
    remediations.refresh();
    affected.refresh();
    recovery.refresh();
  }, [incident.updatedAt, remediations, affected, recovery]);

  const changed = (text: string) => {
    void toast.success(text);
    remediations.refresh();
    affected.refresh();
    recovery.refresh();
    onChanged();
  };

  if (!readsRemediations(user.role)) return null;
  const items = remediations.data?.items ?? [];
  const cases = recovery.data?.items ?? [];
  // A merchant user is not shown empty sections of the acquirer's work.
  const showRecovery = staff || cases.length > 0;
  const showRefunds = staff || items.some((item) => item.action === 'refund');

  return (
    <>
      {toastHolder}
      <SectionCard title={t('remediation.affected.title')}>
        {affected.status === 'failed' ? (
          <ProblemAlert error={affected.error} onRetry={affected.reload} />
        ) : (
          <AffectedPayments
            affected={affected.data}
            loading={affected.status === 'loading'}
            onArrange={mayWork ? setCreating : undefined}
          />
        )}
      </SectionCard>
      <SectionCard title={t('remediation.list.title', { count: items.length })}>
        {remediations.status === 'failed' ? (
          <ProblemAlert error={remediations.error} onRetry={remediations.reload} />
        ) : (
          <RemediationList
            items={items}
            loading={remediations.status === 'loading'}
            internal={staff}
            onUpdate={mayWork ? setUpdating : undefined}
          />
        )}
      </SectionCard>
      {showRecovery && (
        <SectionCard title={t('remediation.recovery.title')}>
          {recovery.status === 'failed' ? (
            <ProblemAlert error={recovery.error} onRetry={recovery.reload} />
          ) : (
            <RecoveryCases
              cases={cases}
              loading={recovery.status === 'loading'}
              canRecordReceipt={canRecordReceipt(user.role) && open}
              canWriteOff={canWriteOff(user.role) && open}
              onChanged={changed}
            />
          )}
        </SectionCard>
      )}
      {showRefunds && (
        <SectionCard title={t('remediation.refund.title')}>
          <Refunds
            remediations={items}
            loading={remediations.status === 'loading'}
            canMarkPaid={canMarkRefundPaid(user.role) && open}
            onChanged={changed}
          />
        </SectionCard>
      )}
      {staff && (
        <SectionCard title={t('remediation.contact.title')}>
          <ContactLog
            incidentId={id}
            canLog={canLogContacts(user.role) && open}
            version={incident.updatedAt}
            onChanged={onChanged}
          />
        </SectionCard>
      )}
      {/* Keyed by what they are for: a form starts from that payment's values, not the last one's. */}
      <CreateRemediationDialog
        key={creating === null ? 'none' : affectedKey(creating)}
        incidentId={id}
        payment={creating}
        onClose={() => setCreating(null)}
        onDone={() => {
          setCreating(null);
          changed(t('remediation.create.done'));
        }}
      />
      <UpdateRemediationDialog
        key={updating?.id ?? 'none'}
        remediation={updating}
        onClose={() => setUpdating(null)}
        onDone={() => {
          setUpdating(null);
          changed(t('remediation.update.done'));
        }}
      />
    </>
  );
}
