/**
 * Every job kind this process works, in one place: each feature exports its handlers and they
 * are registered here, so that a serving process and a one-shot command work the same queue
 * the same way.
 */
import type { AppContext } from '../app/context.js';
import type { JobRunner } from './runner.js';
import { registerEvidenceJobs } from '../app/evidence/jobs.js';
import { registerNotificationJobs } from '../app/notifications/register.js';
import type { NotificationSettings } from '../app/notifications/settings.js';
import { registerAccountChangeJobs } from '../app/account-changes/jobs.js';
import type { SettlementPolicy } from '../core/settlement/policy.js';

export interface JobDependencies {
  /** Where evidence files live (content-addressed); null: in memory tests without files. */
  evidenceDir: string | null;
  /** SMTP, links and webhook timeouts for notifications; absent: e-mail off, defaults. */
  notifications?: NotificationSettings;
  /** The settlement policy (cooling-off after an account change); absent: the default. */
  settlementPolicy?: SettlementPolicy;
}

/** The features' registrations; each adds its kinds to the runner. */
const FEATURES: ((runner: JobRunner, ctx: AppContext, deps: JobDependencies) => void)[] = [
  registerEvidenceJobs,
  registerNotificationJobs,
  registerAccountChangeJobs,
];

export function registerJobHandlers(
  runner: JobRunner,
  ctx: AppContext,
  deps: JobDependencies,
): JobRunner {
  for (const register of FEATURES) register(runner, ctx, deps);
  return runner;
}
