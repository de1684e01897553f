/**
 * The incident playbook for the demo's first start: the incidents the demo traffic opened are
 * put at different points of their lifecycle, as a team would have left them, and one drill is
 * running, so that the queue, the incident page and the overview have something real to show.
 * Everything goes through the same use cases as the API, by the demo's staff: a risk officer
 * and an operations clerk who have no password (they cannot sign in; they exist to be assigned
 * and named) and the console's admin.
 */
import type { AppContext } from '../app/context.js';
import { createUser } from '../app/users/create-user.js';
import {
  acknowledgeIncident,
  assignIncident,
  commentOnIncident,
  recordRootCause,
  transitionIncident,
} from '../app/incidents/actions.js';
import { startDrill } from '../app/incidents/start-drill.js';
import type { Principal, Role } from '../core/roles.js';
import { seedDemoCorrection, type DemoCorrectionSummary } from './demo-correction.js';

export const DEMO_STAFF = [
  { username: 'risk.li', role: 'risk' },
  { username: 'ops.wang', role: 'ops' },
  { username: 'approver.zhao', role: 'approver' },
] as const satisfies readonly { username: string; role: Role }[];

export interface DemoPlaybookSummary {
  skipped: boolean;
  acknowledged: number;
  investigating: number;
  leftOpen: number;
  drill: string | null;
  correction: DemoCorrectionSummary | null;
}

async function principalOf(ctx: AppContext, username: string): Promise<Principal> {
  const { rows } = await ctx.db.query<{ id: string; role: Role }>(
    'SELECT id, role FROM users WHERE username = $1',
    [username],
  );
  const row = rows[0];
  if (!row) throw new Error(`demo user ${username} is missing`);
  return { userId: row.id, username, role: row.role, merchantNos: [] };
}

export async function seedDemoPlaybook(
  ctx: AppContext,
  options: { evidenceDir: string | null } = { evidenceDir: null },
): Promise<DemoPlaybookSummary> {
  const summary: DemoPlaybookSummary = {
    skipped: false,
    acknowledged: 0,
    investigating: 0,
    leftOpen: 0,
    drill: null,
    correction: null,
  };
  const done = await ctx.db.query("SELECT 1 FROM users WHERE username = 'risk.li'");
  if (done.rowCount > 0) return { ...summary, skipped: true };
  for (const staff of DEMO_STAFF) await createUser(ctx, null, { ...staff });
  const admin = await principalOf(ctx, 'admin');
  const risk = await principalOf(ctx, 'risk.li');

  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT id FROM incidents WHERE status = 'open' AND NOT drill ORDER BY opened_at, id`,
  );
  const [first, second, ...rest] = rows.map((r) => r.id);
  if (first) {
    // Taken in hand: acknowledged, assigned, a first note.
    await acknowledgeIncident(ctx, risk, first, { note: '已接手，正在联系收单机构核实终端绑定。' });
    await assignIncident(ctx, admin, first, { username: 'risk.li' });
    await commentOnIncident(ctx, risk, first, {
      text: '已电话联系商户负责人，对方称近期更换过收银设备，待提供装机单。',
    });
    summary.acknowledged += 1;
  }
  if (second) {
    // Further along: contained and under investigation, the cause found.
    await acknowledgeIncident(ctx, risk, second);
    await transitionIncident(ctx, risk, second, {
      to: 'contained',
      note: '终端已暂停，结算已冻结，确认无新增交易。',
    });
    await transitionIncident(ctx, risk, second, { to: 'investigating' });
    await assignIncident(ctx, admin, second, { username: 'ops.wang' });
    await recordRootCause(ctx, risk, second, {
      category: 'operator_error',
      detail: '装机时录入结算账户信息有误：账户户名与营业执照名称不一致，复核环节未发现。',
      operator: 'ops.wang',
    });
    summary.investigating += 1;
  }
  summary.leftOpen = rest.length;
  const drill = await startDrill(ctx, risk, { scenario: 'terminal_merchant_mismatch' });
  await acknowledgeIncident(ctx, risk, drill.id, { note: '演练：按预案处置。' });
  summary.drill = drill.id;
  summary.correction = await seedDemoCorrection(ctx, {
    evidenceDir: options.evidenceDir,
    staff: {
      admin,
      risk,
      ops: await principalOf(ctx, 'ops.wang'),
      approver: await principalOf(ctx, 'approver.zhao'),
    },
    incidentId: second ?? null,
  });
  return summary;
}
