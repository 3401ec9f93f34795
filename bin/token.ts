/**
 * Token CLI: `npm run token -- create|rotate|revoke|list --tenant <name> [...]` (see
 * bin/tokenCli/parseTokenArgs.ts USAGE). Exit codes: 0 ok, 1 failed, 2 bad arguments.
 */
import { runTokenCli } from './tokenCli/runTokenCli';

const code = await runTokenCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
