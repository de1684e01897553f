/**
 * The world's settlement account changes, made through the HTTP API by the roles that would
 * make them: operations asks for the change with the merchant's signed form and uploads its
 * papers, an approver reviews them, as many approvers as the change needs approve it (never
 * the requester), operations starts a test-transaction verification, the merchant keys the
 * amount in on its terminal (the switch sends that purchase), and reading the change matches
 * it and completes it. No database write behind the API's back.
 *
 * The staff are users made for the run by the admin token (`sim-<tag>-<role>-<run>`). A change
 * already completed (the same world sent again) is left as it is.
 */
import { ApiError, type AccountChangeView, type ApiClient } from './api-client.js';
import { demoScan } from './demo-correction.js';
import type { AccountChangePlan, World } from './world.js';

export interface AccountChangesReport {
  planned: number;
  /** Completed by this run. */
  completed: number;
  /** Found completed by an earlier run of the same world. */
  alreadyCompleted: number;
  /** Test transactions keyed in to verify the new accounts. */
  testTransactions: number;
}

/** Reads of a change waiting for its test transaction to be matched, at most. */
const MATCH_READS_MAX = 10;
const MATCH_WAIT_MS = 200;
const CLOSED = new Set(['completed', 'rejected', 'cancelled', 'locked']);

interface Staff {
  ops: ApiClient;
  approvers: ApiClient[];
}

async function makeStaff(api: ApiClient, world: World, approvers: number): Promise<Staff> {
  const run = Date.now().toString(36);
  const user = async (role: string, n = '') =>
    api.as((await api.createUser(`sim-${world.tag}-${role}${n}-${run}`, role)).token);
  const staff: Staff = { ops: await user('ops'), approvers: [] };
  for (let i = 1; i <= approvers; i += 1) staff.approvers.push(await user('approver', String(i)));
  return staff;
}

/** The switch's record of the test purchase the merchant keys in. */
function testPurchase(world: World, plan: AccountChangePlan, amountFen: number) {
  return {
    id: `${world.tag}-VERIFY-${plan.merchantNo}`,
    terminalId: plan.terminalId,
    merchantNo: plan.merchantNo,
    type: 'purchase' as const,
    status: 'approved' as const,
    amountFen,
    // At the world's end: before the change completes, after every business date settled.
    occurredAt: new Date(world.options.today.getTime()).toISOString(),
  };
}

async function changeOne(
  api: ApiClient,
  staff: Staff,
  world: World,
  plan: AccountChangePlan,
  problems: string[],
  report: AccountChangesReport,
): Promise<AccountChangeView | null> {
  const where = `account change of ${plan.merchantNo}`;
  let change = await staff.ops.requestAccountChange(plan.merchantNo, {
    ...plan.account,
    reason: plan.reason,
    consent: { channel: 'signed_form', reference: '结算账户变更申请书（商户签字盖章）' },
  });
  const [reviewer] = staff.approvers;
  if (!reviewer) throw new Error('no approver');
  const documentIds: string[] = [];
  for (const [n, type] of change.requiredDocuments.entries()) {
    const document = await staff.ops.uploadDocument(plan.merchantNo, {
      type,
      bytes: demoScan(n + 1, [120, 120, 120]),
      fileName: `${type}.png`,
      contentType: 'image/png',
    });
    await reviewer.reviewDocument(document.id, { result: 'accepted', note: '与原件核对一致。' });
    documentIds.push(document.id);
  }
  if (documentIds.length > 0) change = await staff.ops.attachDocuments(change.id, documentIds);
  if (change.status !== 'pending_approval') {
    problems.push(`${where}: ${change.status} with its papers in, expected pending_approval`);
    return null;
  }
  for (const approver of staff.approvers.slice(0, change.approvalsNeeded)) {
    change = await approver.approveAccountChange(change.id, '材料齐全，户名与商户一致。');
  }
  if (change.status !== 'pending_verification') {
    problems.push(
      `${where}: ${change.status} after ${String(change.approvalsNeeded)} approvals, expected pending_verification`,
    );
    return null;
  }
  change = await staff.ops.startVerification(change.id, {
    method: 'test_transaction',
    terminalId: plan.terminalId,
  });
  const amountFen = change.verification?.amountToKeyFen;
  if (!amountFen) {
    problems.push(`${where}: the test transaction's amount is not shown`);
    return null;
  }
  const [answer] = await api.ingest([testPurchase(world, plan, amountFen)]);
  report.testTransactions += 1;
  if (answer?.outcome !== 'accepted' || answer.decision !== 'ok') {
    problems.push(
      `${where}: the test transaction came back ${answer?.outcome ?? 'unanswered'} ${answer?.decision ?? ''} ${answer?.error?.code ?? ''}`,
    );
    return null;
  }
  for (let read = 0; read < MATCH_READS_MAX && change.status !== 'completed'; read += 1) {
    if (read > 0) await new Promise((resolve) => setTimeout(resolve, MATCH_WAIT_MS));
    change = await staff.ops.accountChange(change.id);
  }
  if (change.status !== 'completed') {
    problems.push(`${where}: ${change.status} after its test transaction, expected completed`);
    return null;
  }
  return change;
}

export async function makeAccountChanges(
  api: ApiClient,
  world: World,
  problems: string[],
  progress: (done: number, total: number) => void,
): Promise<AccountChangesReport> {
  const report: AccountChangesReport = {
    planned: world.accountChanges.length,
    completed: 0,
    alreadyCompleted: 0,
    testTransactions: 0,
  };
  let staff: Staff | null = null;
  for (const [n, plan] of world.accountChanges.entries()) {
    const where = `account change of ${plan.merchantNo}`;
    const earlier = await api.merchantAccountChanges(plan.merchantNo);
    let done = earlier.find((c) => c.status === 'completed');
    if (done) {
      report.alreadyCompleted += 1;
    } else if (earlier.some((c) => !CLOSED.has(c.status))) {
      problems.push(`${where}: one is already under way, left alone`);
    } else {
      try {
        // Two approvers: a high-risk change needs both, and neither asked for it.
        staff ??= await makeStaff(api, world, 2);
        done = (await changeOne(api, staff, world, plan, problems, report)) ?? undefined;
        if (done) report.completed += 1;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        problems.push(`${where}: ${error.message}`);
      }
    }
    const completedMs = done?.completedAt ? Date.parse(done.completedAt) : NaN;
    if (done && !(completedMs < world.postChangeFromMs)) {
      problems.push(
        `${where}: completed at ${done.completedAt ?? '?'}, not before the traffic after it (${new Date(world.postChangeFromMs).toISOString()}): run the world sooner after building it`,
      );
    }
    progress(n + 1, world.accountChanges.length);
  }
  return report;
}
