/**
 * Backfill CLI: `npm run backfill-indexes -- --table <name>` gives items written before the sorted
 * indexes existed their index attributes (bin/backfillCli/runBackfill.ts; docs/runbooks/upgrade.md).
 */
import { runBackfill } from './backfillCli/runBackfill';

process.exitCode = await runBackfill(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
