/**
 * The evidence feature's job: `evidence.snapshot { incidentId, at, alertIds, transactionIds }`,
 * enqueued by containment in the transaction that adds the alerts. A process without an
 * evidence folder does not take these jobs; they wait for one that has it.
 */
import type { AppContext } from '../context.js';
import type { JobDependencies } from '../../jobs/handlers.js';
import type { JobRunner } from '../../jobs/runner.js';
import { DomainError } from '../../core/errors.js';
import { EvidenceStore } from './store.js';
import { EVIDENCE_SNAPSHOT_JOB, parseSnapshotPayload, takeSnapshot } from './snapshot.js';

export function registerEvidenceJobs(
  runner: JobRunner,
  ctx: AppContext,
  deps: JobDependencies,
): void {
  if (!deps.evidenceDir) return;
  const store = new EvidenceStore(deps.evidenceDir);
  runner.register(EVIDENCE_SNAPSHOT_JOB, async (job) => {
    const request = parseSnapshotPayload(job.payload);
    try {
      await takeSnapshot(ctx, store, request);
    } catch (error) {
      // An incident that does not exist will not appear by retrying.
      if (error instanceof DomainError && error.code === 'not_found') return;
      throw error;
    }
  });
}
