/**
 * What notifications say, Chinese first: the console bell's title and body for each event type,
 * and the e-mail that asks someone to acknowledge an incident. Built only from an event's data
 * and the incident's facts, which carry masked numbers only (core/events.ts). Pure.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export interface NotificationText {
  title: Bilingual;
  body: Bilingual;
}

const TITLE_LENGTH_MAX = 300;
const BODY_LENGTH_MAX = 2000;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function bilingual(value: unknown): Bilingual {
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    return { zh: text(v.zh), en: text(v.en) };
  }
  const plain = text(value);
  return { zh: plain, en: plain };
}

function yuan(fen: unknown): string {
  return typeof fen === 'number' && Number.isSafeInteger(fen) ? `¥${(fen / 100).toFixed(2)}` : '';
}

function cut(value: Bilingual, max: number): Bilingual {
  return { zh: value.zh.slice(0, max), en: value.en.slice(0, max) };
}

const DRILL: Bilingual = { zh: '【演练】', en: '[DRILL] ' };

/** A text with the drill mark taken out, so that it is put once at the front, not twice. */
function unmarked(text: Bilingual): Bilingual {
  return { zh: text.zh.replaceAll(DRILL.zh, ''), en: text.en.replaceAll(DRILL.en, '') };
}

/** The bell's text for an event. */
export function eventNotificationText(input: {
  /** An EventType, or a test message's type. */
  type: string;
  data: Record<string, unknown>;
  drill: boolean;
}): NotificationText {
  const d = input.data;
  const merchant = text(d.merchantNo);
  const title = bilingual(d.title);
  const severity = text(d.severity);
  let result: NotificationText;
  switch (input.type) {
    case 'incident.opened':
      result = {
        title: {
          zh: `新事件 ${severity}：${title.zh}`,
          en: `New incident ${severity}: ${title.en}`,
        },
        body: {
          zh: `商户 ${merchant} 开立了 ${severity} 级事件，请尽快确认。`,
          en: `A ${severity} incident was opened for merchant ${merchant}; please acknowledge it.`,
        },
      };
      break;
    case 'incident.escalated':
      result = {
        title: {
          zh: `事件升级（第 ${text(d.level)} 级，第 ${text(d.round)} 轮）：${title.zh}`,
          en: `Incident escalated (level ${text(d.level)}, round ${text(d.round)}): ${title.en}`,
        },
        body: {
          zh: `${severity} 级事件无人确认，已通知下一级。`,
          en: `Nobody acknowledged the ${severity} incident in time; the next level was told.`,
        },
      };
      break;
    case 'incident.acknowledged':
      result = {
        title: { zh: `事件已确认：${title.zh}`, en: `Incident acknowledged: ${title.en}` },
        body: {
          zh: `由 ${text(d.by) || text(d.acknowledgedBy)} 确认。`,
          en: `Acknowledged by ${text(d.by) || text(d.acknowledgedBy)}.`,
        },
      };
      break;
    case 'incident.resolved':
      result = {
        title: { zh: `事件已解决：${title.zh}`, en: `Incident resolved: ${title.en}` },
        body: {
          zh: `商户 ${merchant} 的事件已解决。`,
          en: `The incident of merchant ${merchant} is resolved.`,
        },
      };
      break;
    case 'terminal.suspended':
      result = {
        title: {
          zh: `终端 ${text(d.terminalId)} 已暂停`,
          en: `Terminal ${text(d.terminalId)} suspended`,
        },
        body: {
          zh: `商户 ${merchant} 的终端 ${text(d.terminalId)} 已暂停交易。`,
          en: `Terminal ${text(d.terminalId)} of merchant ${merchant} may no longer transact.`,
        },
      };
      break;
    case 'terminal.resumed':
      result = {
        title: {
          zh: `终端 ${text(d.terminalId)} 已恢复`,
          en: `Terminal ${text(d.terminalId)} resumed`,
        },
        body: {
          zh: `商户 ${merchant} 的终端 ${text(d.terminalId)} 已恢复交易。`,
          en: `Terminal ${text(d.terminalId)} of merchant ${merchant} may transact again.`,
        },
      };
      break;
    case 'settlement.held': {
      const reason = bilingual(d.reason);
      result = {
        title: { zh: `商户 ${merchant} 结算已暂停`, en: `Settlement of merchant ${merchant} held` },
        body: { zh: `原因：${reason.zh}`, en: `Reason: ${reason.en}` },
      };
      break;
    }
    case 'settlement.released':
      result = {
        title: {
          zh: `商户 ${merchant} 结算已放行`,
          en: `Settlement of merchant ${merchant} released`,
        },
        body: {
          zh: `放行金额 ${yuan(d.amountFen)}，操作人 ${text(d.releasedBy)}。`,
          en: `${yuan(d.amountFen)} released by ${text(d.releasedBy)}.`,
        },
      };
      break;
    case 'account.changed': {
      const reason = bilingual(d.reason);
      result = {
        title: {
          zh: `商户 ${merchant} 结算账户变更`,
          en: `Settlement account of merchant ${merchant} changed`,
        },
        body: {
          zh: `账户 ${text(d.accountNumberMasked)}：${text(d.previousStatus)} → ${text(d.status)}。${reason.zh}`,
          en: `Account ${text(d.accountNumberMasked)}: ${text(d.previousStatus)} → ${text(d.status)}. ${reason.en}`,
        },
      };
      break;
    }
    default:
      result = {
        title: { zh: `事件 ${input.type}`, en: `Event ${input.type}` },
        body: {
          zh: merchant ? `商户 ${merchant}` : '',
          en: merchant ? `Merchant ${merchant}` : '',
        },
      };
  }
  if (input.drill) {
    const title = unmarked(result.title);
    result = { title: { zh: DRILL.zh + title.zh, en: DRILL.en + title.en }, body: result.body };
  }
  return { title: cut(result.title, TITLE_LENGTH_MAX), body: cut(result.body, BODY_LENGTH_MAX) };
}

export interface IncidentFacts {
  id: string;
  severity: string;
  status: string;
  merchantNo: string;
  title: Bilingual;
  openedAt: Date;
  drill: boolean;
}

/** The console page of an incident, as a path (prefixed with the public URL when known). */
export function incidentLink(incidentId: string, publicUrl: string | null): string {
  const path = `/incidents/${incidentId}`;
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}

/** The bell's text of a page: the user is asked to acknowledge. */
export function pageNotificationText(input: {
  incident: IncidentFacts;
  level: number;
  round: number;
}): NotificationText {
  const { incident } = input;
  const drill = incident.drill ? DRILL : { zh: '', en: '' };
  const title = unmarked(incident.title);
  return {
    title: cut(
      {
        zh: `${drill.zh}请确认 ${incident.severity} 事件：${title.zh}`,
        en: `${drill.en}Please acknowledge ${incident.severity} incident: ${title.en}`,
      },
      TITLE_LENGTH_MAX,
    ),
    body: {
      zh: `您在升级策略第 ${input.level} 级（第 ${input.round} 轮）。确认事件后升级即停止。`,
      en: `You are on level ${input.level} (round ${input.round}) of the escalation. Acknowledging the incident stops it.`,
    },
  };
}

/** Beijing time, the time people read in China: `2026-11-26 16:00:00`. */
function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The e-mail asking to acknowledge an incident: subject and plain text, Chinese first. */
export function pageEmail(input: {
  incident: IncidentFacts;
  level: number;
  round: number;
  link: string;
}): { subject: string; text: string } {
  const { incident, level, round, link } = input;
  const subject =
    `[SettleGuard] ${incident.severity} 事件待确认：${incident.title.zh} / ` +
    `${incident.severity} incident to acknowledge: ${incident.title.en}`;
  const text = [
    `${incident.severity} 级事件需要确认（升级第 ${level} 级，第 ${round} 轮）。`,
    '',
    `事件：${incident.title.zh}`,
    `编号：${incident.id}`,
    `商户号：${incident.merchantNo}`,
    `级别：${incident.severity}`,
    `状态：${incident.status}`,
    `开立时间：${beijing(incident.openedAt)}（北京时间）`,
    `控制台：${link}`,
    '',
    '请登录控制台确认该事件；确认后将停止升级通知。',
    '',
    '-----',
    '',
    `A ${incident.severity} incident needs acknowledging (escalation level ${level}, round ${round}).`,
    '',
    `Incident: ${incident.title.en}`,
    `Id: ${incident.id}`,
    `Merchant: ${incident.merchantNo}`,
    `Severity: ${incident.severity}`,
    `Status: ${incident.status}`,
    `Opened: ${incident.openedAt.toISOString()}`,
    `Console: ${link}`,
    '',
    'Sign in to the console and acknowledge the incident; escalation stops when you do.',
    '',
    '— SettleGuard 收款账户卫士',
  ].join('\n');
  return { subject: subject.slice(0, 400), text };
}

/** A timeline line: who was told, through which channels, at which step. */
export function notificationSentText(input: {
  target: string;
  channels: readonly ('console' | 'email' | 'webhook')[];
  level: number;
  round: number;
}): Bilingual {
  const zhChannels: Record<string, string> = {
    console: '控制台',
    email: '邮件',
    webhook: 'Webhook',
  };
  const enChannels: Record<string, string> = {
    console: 'console',
    email: 'e-mail',
    webhook: 'webhook',
  };
  return {
    zh: `已通知 ${input.target}（${input.channels.map((c) => zhChannels[c]).join('、')}），升级第 ${input.level} 级第 ${input.round} 轮`,
    en: `Notified ${input.target} (${input.channels.map((c) => enChannels[c]).join(', ')}), escalation level ${input.level} round ${input.round}`,
  };
}
