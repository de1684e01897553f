export const SETTLEMENT_RUNS_PATH = '/settlement';

export function settlementRunPath(runId: string): string {
  return `${SETTLEMENT_RUNS_PATH}/runs/${encodeURIComponent(runId)}`;
}

/** What the runs list tells a run's page it has just done. */
export interface RunPageState {
  notice: 'created' | 'existing';
}

export const SETTLEMENT_LINES_PATH = `${SETTLEMENT_RUNS_PATH}/lines`;

/** The lines of every run still on hold, for one reason (or all). */
export function heldLinesPath(reason?: string): string {
  const query = new URLSearchParams({ onHold: '1' });
  if (reason !== undefined) query.set('reason', reason);
  return `${SETTLEMENT_LINES_PATH}?${query.toString()}`;
}
