/**
 * Post-deploy check: `npm run smoke -- --tenant <name>` (or `--url <base> --token <t>`). Runs a
 * short Entra- and Okta-shaped round, cleans up, prints pass/fail (bin/smokeCli/runSmoke.ts).
 */
import { runSmoke } from './smokeCli/runSmoke';

process.exitCode = await runSmoke(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
