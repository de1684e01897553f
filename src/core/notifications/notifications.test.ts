import { describe, expect, it } from 'vitest';
import { formatSecret, secretKey, signMessage } from './standard-webhooks.js';
import { DELIVERY_ATTEMPTS_MAX, retryDelayMs, retryWindowSeconds } from './retry.js';
import {
  DEFAULT_ESCALATION_POLICIES,
  nextStep,
  policyShapeIssues,
  roleOfEntry,
} from './escalation.js';
import { maskEmail, normaliseEmail, webhookUrlProblem } from './addresses.js';
import { eventNotificationText, pageNotificationText, pageEmail } from './messages.js';

describe('Standard Webhooks signing', () => {
  it("matches the scheme's published example", () => {
    // The example of the Standard Webhooks / Svix documentation.
    const headers = signMessage({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestampSeconds: 1614265330,
      body: '{"test": 2432232314}',
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('reads only whsec_ secrets of 24 to 64 bytes', () => {
    expect(secretKey(formatSecret(Buffer.alloc(24, 1)))).toHaveLength(24);
    expect(secretKey(formatSecret(Buffer.alloc(23, 1)))).toBeNull();
    expect(secretKey(formatSecret(Buffer.alloc(65, 1)))).toBeNull();
    expect(secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
    expect(secretKey('whsec_not base64!')).toBeNull();
  });
});

describe('retry schedule', () => {
  it('retries for more than a day, then stops', () => {
    expect(retryWindowSeconds()).toBeGreaterThan(86_400);
    expect(retryDelayMs(1)).toBe(5_000);
    expect(retryDelayMs(DELIVERY_ATTEMPTS_MAX - 1)).toBe(8 * 3_600_000);
    expect(retryDelayMs(DELIVERY_ATTEMPTS_MAX)).toBeNull();
  });
});

describe('escalation', () => {
  it('walks the levels, then the rounds, then stops', () => {
    const policy = {
      levels: [
        { notify: ['a'], ackTimeoutSeconds: 60 },
        { notify: ['b'], ackTimeoutSeconds: 60 },
      ],
      repeat: 1,
    };
    const steps = [];
    for (let step: { level: number; round: number } | null = { level: 1, round: 1 }; step;) {
      steps.push([step.level, step.round]);
      step = nextStep(policy, step);
    }
    expect(steps).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
    ]);
  });

  it('keeps P1 at five minutes by default and checks the bounds', () => {
    expect(DEFAULT_ESCALATION_POLICIES.P1.levels[0]?.ackTimeoutSeconds).toBe(300);
    for (const policy of Object.values(DEFAULT_ESCALATION_POLICIES)) {
      expect(policyShapeIssues(policy)).toEqual([]);
    }
    expect(
      policyShapeIssues({
        levels: [{ notify: ['x', 'x', 'role:merchant'], ackTimeoutSeconds: 29 }],
        repeat: 11,
      }).map((i) => i.path),
    ).toEqual(['repeat', 'levels.0.ackTimeoutSeconds', 'levels.0.notify.1', 'levels.0.notify.2']);
    expect(roleOfEntry('role:risk')).toBe('risk');
    expect(roleOfEntry('role:switch')).toBeNull();
  });
});

describe('addresses', () => {
  it('takes plain e-mail addresses only, and masks them', () => {
    expect(normaliseEmail(' Li.Si@Example.CN ')).toBe('Li.Si@example.cn');
    for (const bad of ['a@b', 'a b@example.com', 'a@@example.com', '.a@example.com', 'a..b@x.cn']) {
      expect(normaliseEmail(bad), bad).toBeNull();
    }
    expect(maskEmail('zhang@example.com')).toBe('z***@example.com');
  });

  it('takes http(s) webhook URLs without credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.com/settleguard?x=1')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/')).toBeNull();
    expect(webhookUrlProblem('ftp://example.com/')).toBe('scheme');
    expect(webhookUrlProblem('https://u:p@example.com/')).toBe('credentials');
    expect(webhookUrlProblem('/relative')).toBe('not_a_url');
    expect(webhookUrlProblem(`https://example.com/${'a'.repeat(2048)}`)).toBe('too_long');
  });
});

describe('texts', () => {
  it('are Chinese first and mark drills', () => {
    const text = eventNotificationText({
      type: 'settlement.released',
      data: { merchantNo: '123456789012345', amountFen: 123456, releasedBy: 'approver1' },
      drill: true,
    });
    expect(text.title.zh).toBe('【演练】商户 123456789012345 结算已放行');
    expect(text.body.zh).toBe('放行金额 ¥1234.56，操作人 approver1。');
    const mail = pageEmail({
      incident: {
        id: 'i-1',
        severity: 'P1',
        status: 'open',
        merchantNo: '123456789012345',
        title: { zh: '终端商户不符', en: 'Terminal and merchant differ' },
        openedAt: new Date('2026-11-26T08:00:00Z'),
        drill: false,
      },
      level: 2,
      round: 1,
      link: '/incidents/i-1',
    });
    expect(mail.text.indexOf('开立时间：2026-11-26 16:00:00（北京时间）')).toBeGreaterThan(0);
    // A drill's own title carries the mark already: it is said once.
    const drillTitle = { zh: '【演练】终端与商户不符', en: '[DRILL] Terminal used elsewhere' };
    const acknowledged = eventNotificationText({
      type: 'incident.acknowledged',
      data: { incidentId: 'i-2', title: drillTitle, by: 'risk.li' },
      drill: true,
    });
    expect(acknowledged.title.zh.match(/【演练】/g)).toHaveLength(1);
    expect(acknowledged.title.en.match(/\[DRILL\]/g)).toHaveLength(1);
    const page = pageNotificationText({
      incident: {
        id: 'i-2',
        severity: 'P1',
        status: 'open',
        merchantNo: '123456789012345',
        title: drillTitle,
        openedAt: new Date('2026-11-26T08:00:00Z'),
        drill: true,
      },
      level: 1,
      round: 1,
    });
    expect(page.title.zh).toBe('【演练】请确认 P1 事件：终端与商户不符');
    expect(mail.text.indexOf('需要确认')).toBeLessThan(mail.text.indexOf('needs acknowledging'));
  });
});
