import type { AppContext } from '../context.js';
import { buildDemoPortfolio } from '../demo-portfolio.js';
import { importPortfolio, IMPORT_BATCH_MAX, type ImportResult } from './import-portfolio.js';

/** Seed of the demo portfolio: the same merchants on every fresh start. */
const DEMO_SEED = 20_260_301;

/** Loads the demo portfolio through the ordinary import, in batches. */
export async function loadDemoPortfolio(ctx: AppContext): Promise<ImportResult> {
  const records = buildDemoPortfolio({ seed: DEMO_SEED, today: ctx.now() });
  const total: ImportResult = { imported: 0, failed: [], nameMismatches: [] };
  for (let start = 0; start < records.length; start += IMPORT_BATCH_MAX) {
    const result = await importPortfolio(
      ctx,
      null,
      records.slice(start, start + IMPORT_BATCH_MAX),
      {
        actor: 'demo',
      },
    );
    total.imported += result.imported;
    total.failed.push(...result.failed.map((f) => ({ ...f, index: f.index + start })));
    total.nameMismatches.push(...result.nameMismatches);
  }
  return total;
}
