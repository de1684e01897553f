/**
 * The notification jobs, registered on the runner of every process (src/jobs/handlers.ts):
 * dispatching events, sending webhooks and e-mails, and escalating incidents.
 */
import type { AppContext } from '../context.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { JobDependencies } from '../../jobs/handlers.js';
import { DISPATCH_EVENT_JOB } from '../events.js';
import { dispatchEvent } from './dispatch-event.js';
import { deliverWebhook, EndpointGate } from './deliver-webhook.js';
import { createMailer, EMAIL_SEND_JOB, sendEmailDelivery } from './email.js';
import { ESCALATE_JOB, escalateStep } from './escalate.js';
import { WEBHOOK_DELIVER_JOB } from './webhook-deliveries.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from './settings.js';

function text(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) {
    throw new Error(`job payload: ${name} is missing`);
  }
  return value;
}

function whole(payload: Record<string, unknown>, name: string): number {
  const value = payload[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    throw new Error(`job payload: ${name} is not a step number`);
  }
  return value;
}

export function registerNotificationJobs(
  runner: JobRunner,
  ctx: AppContext,
  deps: JobDependencies,
): void {
  const settings = deps.notifications ?? DEFAULT_NOTIFICATION_SETTINGS;
  const mailer = settings.mail ? createMailer(settings.mail) : null;
  const gate = new EndpointGate(settings.webhookInFlightPerEndpointMax);
  runner.register(DISPATCH_EVENT_JOB, async (job) => {
    await dispatchEvent(ctx, text(job.payload, 'eventId'));
  });
  runner.register(WEBHOOK_DELIVER_JOB, async (job) => {
    await deliverWebhook(ctx, settings, gate, {
      deliveryId: text(job.payload, 'deliveryId'),
      manual: job.payload.manual === true,
    });
  });
  runner.register(EMAIL_SEND_JOB, async (job) => {
    await sendEmailDelivery(ctx, mailer, text(job.payload, 'deliveryId'));
  });
  runner.register(ESCALATE_JOB, async (job) => {
    await escalateStep(ctx, settings, {
      incidentId: text(job.payload, 'incidentId'),
      level: whole(job.payload, 'level'),
      round: whole(job.payload, 'round'),
    });
  });
}
