/**
 * E-mail over SMTP (nodemailer). An e-mail is decided in a transaction (a row in
 * `email_deliveries` with its subject and text, and a job), and sent by the job: a crash loses
 * none, a dead mail server delays only its own jobs, and every attempt is in the log. Retries
 * follow core/notifications/retry.ts; after the last one the e-mail is failed and, when it was
 * about an incident, the incident's timeline says so.
 */
import nodemailer from 'nodemailer';
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { enqueueJob } from '../jobs.js';
import { RetryLater } from '../../jobs/runner.js';
import { retryDelayMs } from '../../core/notifications/retry.js';
import { maskEmail } from '../../core/notifications/addresses.js';
import type { MailSettings } from './settings.js';
import { addTimelineEntry } from './timeline.js';

export const EMAIL_SEND_JOB = 'email.send';
const ERROR_LENGTH_MAX = 1000;

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

/** A mailer on the configured SMTP server, with bounded waits at every stage. */
export function createMailer(settings: MailSettings): Mailer {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        textEncoding: 'base64',
      });
    },
    close() {
      transport.close();
    },
  };
}

/** Adds the e-mail and its job; returns its id, or null when the same key was already used. */
export async function createEmailDelivery(
  ctx: AppContext,
  tx: Queryable,
  input: {
    to: string;
    username: string | null;
    subject: string;
    text: string;
    eventId: string | null;
    incidentId: string | null;
    dedupeKey: string;
    now: Date;
  },
): Promise<string | null> {
  const id = ctx.newId();
  const inserted = await tx.query(
    `INSERT INTO email_deliveries (id, to_address, username, subject, body_text, event_id,
       incident_id, status, next_attempt_at, created_at, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $9)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      id,
      input.to,
      input.username,
      input.subject,
      input.text,
      input.eventId,
      input.incidentId,
      input.now,
      input.dedupeKey,
    ],
  );
  if (inserted.rowCount === 0) return null;
  await enqueueJob(
    tx,
    {
      kind: EMAIL_SEND_JOB,
      payload: { deliveryId: id },
      runAt: input.now,
      dedupeKey: `email.send:${id}`,
    },
    input.now,
  );
  return id;
}

interface EmailRow {
  id: string;
  to_address: string;
  username: string | null;
  subject: string;
  body_text: string;
  incident_id: string | null;
  attempts: number;
}

/** The job: one attempt; on failure the next is scheduled, or the e-mail is failed. */
export async function sendEmailDelivery(
  ctx: AppContext,
  mailer: Mailer | null,
  deliveryId: string,
): Promise<void> {
  const { rows } = await ctx.db.query<EmailRow>(
    `SELECT id, to_address, username, subject, body_text, incident_id, attempts
       FROM email_deliveries WHERE id = $1 AND status = 'pending'`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row) return;
  const started = performance.now();
  let error: string | null = null;
  if (!mailer) {
    error = 'E-mail is off: SETTLEGUARD_SMTP_URL is not set';
  } else {
    try {
      await mailer.send({ to: row.to_address, subject: row.subject, text: row.body_text });
    } catch (failure) {
      error = (failure instanceof Error ? failure.message : String(failure)).slice(
        0,
        ERROR_LENGTH_MAX,
      );
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const now = ctx.now();
  const attempts = row.attempts + 1;
  const delayMs = error === null || !mailer ? null : retryDelayMs(attempts);
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO email_attempts (delivery_id, at, succeeded, duration_ms, error)
       VALUES ($1, $2, $3, $4, $5)`,
      [row.id, now, error === null, durationMs, error],
    );
    if (error === null) {
      await tx.query(
        `UPDATE email_deliveries SET status = 'sent', attempts = $2, sent_at = $3,
           next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
        [row.id, attempts, now],
      );
      return;
    }
    if (delayMs !== null) {
      await tx.query(
        `UPDATE email_deliveries SET attempts = $2, next_attempt_at = $3, last_error = $4
          WHERE id = $1`,
        [row.id, attempts, new Date(now.getTime() + delayMs), error],
      );
      return;
    }
    await tx.query(
      `UPDATE email_deliveries SET status = 'failed', attempts = $2, failed_at = $3,
         next_attempt_at = NULL, last_error = $4 WHERE id = $1`,
      [row.id, attempts, now, error],
    );
    if (row.incident_id) {
      const to = row.username ?? maskEmail(row.to_address);
      await addTimelineEntry(tx, row.incident_id, {
        at: now,
        kind: 'notification_failed',
        text: {
          zh: `发给 ${to} 的邮件经 ${attempts} 次尝试仍未送达`,
          en: `The e-mail to ${to} could not be sent after ${attempts} attempts`,
        },
        data: { channel: 'email', deliveryId: row.id, attempts },
      });
    }
  });
  if (delayMs !== null) throw new RetryLater(new Date(now.getTime() + delayMs), error ?? '');
}
