/**
 * What the notification jobs need from the configuration: the SMTP server (none: e-mail off),
 * the console's public address for links in e-mails, and the webhook timeout.
 */
export interface MailSettings {
  /** `smtp://host:port` or `smtps://user:password@host:port`. */
  smtpUrl: string;
  /** The From address, optionally with a display name: `SettleGuard <alerts@example.com>`. */
  from: string;
}

export interface NotificationSettings {
  /** Null: e-mail is off; people are told on the console (and webhooks) only. */
  mail: MailSettings | null;
  /** The console's address for absolute links in e-mails; null: the path only. */
  publicUrl: string | null;
  /** How long one webhook attempt may take, connection to last byte. */
  webhookTimeoutMs: number;
  /** Attempts to one endpoint at once in this process; more wait their turn. */
  webhookInFlightPerEndpointMax: number;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  mail: null,
  publicUrl: null,
  webhookTimeoutMs: WEBHOOK_TIMEOUT_MS,
  webhookInFlightPerEndpointMax: 2,
};
