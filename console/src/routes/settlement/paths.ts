export const SETTLEMENT_RUNS_PATH = '/settlement';

export function settlementRunPath(runId: string): string {
  return `${SETTLEMENT_RUNS_PATH}/runs/${encodeURIComponent(runId)}`;
}

/** What the runs list tells a run's page it has just done. */
export interface RunPageState {
  notice: 'created' | 'existing';
}
