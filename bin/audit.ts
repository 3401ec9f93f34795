/**
 * Audit CLI: `npm run audit -- --tenant <name> [--since 7d] [--user <id>]` prints who changed what,
 * when and from where (bin/auditCli/parseAuditArgs.ts USAGE). Exit codes: 0 ok, 1 failed, 2 bad arguments.
 */
import { runAuditCli } from './auditCli/runAuditCli';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runAuditCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
