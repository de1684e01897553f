/**
 * Real parts for the notification tests: a webhook receiver on a local port that verifies the
 * Standard Webhooks signature with its own code (node:crypto, written from the scheme's text,
 * not from src/), a local SMTP server that keeps what it receives, and the test application
 * with a job runner working the notification jobs on a clock the test moves.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { JobRunner } from '../../src/jobs/runner.js';
import { registerJobHandlers } from '../../src/jobs/handlers.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../src/app/notifications/settings.js';
import { startTestApp, type TestApp } from './app.js';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Verified against the endpoint's secret by the receiver's own implementation. */
  verified: boolean;
  parsed: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** Standard Webhooks verification, as a receiver would write it from the specification. */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${headers.id}.${headers.timestamp}.${body}`)
    .digest();
  // The header may carry several space-separated signatures; any v1 one that matches will do.
  return headers.signature.split(' ').some((part) => {
    const [version, value] = part.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

export type ReceiverMode = 'ok' | 'error' | 'hang';

export interface Receiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** What the endpoint answers from now on: 2xx, 500, or nothing at all. */
  mode: ReceiverMode;
  /** The secret the receiver verifies with; set once the endpoint is registered. */
  secret: string;
  /** Closes the port: connections are refused. */
  down(): Promise<void>;
  /** Opens the same port again. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    mode: 'ok',
    secret: '',
    down: async () => undefined,
    up: async () => undefined,
    close: async () => undefined,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (receiver.mode === 'hang') {
        hanging.add(response);
        return;
      }
      if (receiver.mode === 'error') {
        response.writeHead(500).end('down for maintenance');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        id: String(request.headers['webhook-id'] ?? ''),
        timestamp: String(request.headers['webhook-timestamp'] ?? ''),
        signature: String(request.headers['webhook-signature'] ?? ''),
      };
      receiver.received.push({
        ...headers,
        body,
        verified: verifyStandardWebhook(receiver.secret, headers, body),
        parsed: JSON.parse(body) as ReceivedWebhook['parsed'],
      });
      response.writeHead(204).end();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const response of hanging) response.destroy();
      hanging.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen(0);
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/settleguard`;
  receiver.down = stop;
  receiver.up = () => listen(receiver.port);
  receiver.close = async () => {
    if (server.listening) await stop();
  };
  return receiver;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

export interface MailServer {
  url: string;
  mails: ReceivedMail[];
  /** Refuse every message with a temporary failure from now on (or accept again). */
  refusing: boolean;
  close(): Promise<void>;
}

function decodeWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g,
    (_, _charset, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
  );
}

/** Just enough MIME for a single-part text message: headers, encoded words, the body's encoding. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let text: string;
  if (encoding === 'base64')
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else text = body;
  return { headers, text };
}

export async function startMailServer(): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const state = { refusing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.refusing) {
          const error = new Error('try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text } = parseMail(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headers.get('subject') ?? ''),
          text,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get refusing() {
      return state.refusing;
    },
    set refusing(value: boolean) {
      state.refusing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface NotificationTestApp extends TestApp {
  runner: JobRunner;
  /** Moves the clock of the application and of its jobs forward. */
  advanceMs(ms: number): void;
  /** Runs every job due now, again until none is left (jobs add jobs). */
  drain(): Promise<number>;
}

/** The test application, with a job runner working the notification jobs on its clock. */
export async function startNotificationTestApp(
  settings: Partial<NotificationSettings> = {},
): Promise<NotificationTestApp> {
  const t = await startTestApp();
  // The context's clock is replaced by one the test moves: routes and jobs share the context.
  let nowMs = t.ctx.now().getTime();
  t.ctx.now = () => new Date(nowMs);
  const runner = registerJobHandlers(
    new JobRunner(t.ctx, { log: { error: () => undefined, warn: () => undefined } }),
    t.ctx,
    { evidenceDir: null, notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings } },
  );
  return Object.assign(t, {
    runner,
    advanceMs(ms: number) {
      nowMs += ms;
    },
    async drain() {
      let total = 0;
      for (;;) {
        const ran = await runner.runDue();
        total += ran;
        if (ran === 0) return total;
      }
    },
  });
}
