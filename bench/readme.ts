import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './report';

/**
 * `npm run bench:readme [-- --results path] [-- --allow-quick]`: copies the figures of
 * bench/results/latest.json into README.md's "Performance and cost" section, between the
 * `bench:results` markers: every target with its measurement and PASS/FAIL, and the cost of a
 * tenant. Refuses a --quick result unless `--allow-quick`, and then says so in the README, so a
 * CI-size run is never quoted as the full one.
 */
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const args = process.argv.slice(2);
const resultsIndex = args.indexOf('--results');
const resultsPath = resultsIndex >= 0 && args[resultsIndex + 1] ? args[resultsIndex + 1] : join(import.meta.dirname, 'results', 'latest.json');
const readmePath = join(import.meta.dirname, '..', 'README.md');

const r = JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchResults;
if (r.mode !== 'full' && !args.includes('--allow-quick')) {
  throw new Error(`${resultsPath} is from a ${r.mode} run: run \`npm run bench\` (full) first, or pass --allow-quick for a marked placeholder`);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const lines: string[] = [];
const settings = r.settings ? `, ${r.settings.iterations} iterations per operation, scaling at ${r.settings.scalingSizes.map((n) => n.toLocaleString('en-US')).join(' / ')} members` : '';
lines.push(
  r.mode === 'full'
    ? `Figures of the committed full run (${r.generatedAt.slice(0, 10)}, Node ${r.environment.node}, ${r.environment.cpus} CPUs${settings}; load average at the end ${r.environment.loadAverageAtEnd?.join(' / ') ?? 'n/a'}); every table in \`bench/results/latest.md\`.`
    : `**Placeholder from a --quick run (${r.generatedAt.slice(0, 16)}), not the full run: regenerate after \`npm run bench\`.**`,
  '',
  '| target | measured | result |',
  '|---|---|---|',
  ...Object.values(r.targets).map((t) => `| ${cell(t.target)} | ${cell(t.measured)} | ${t.pass ? 'PASS' : '**FAIL**'} |`),
);
const cost = r.markdown?.costModel;
if (cost) lines.push('', '**Cost of one tenant per month** (`costModel`):', '', cost);

const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${lines.join('\n')}\n${readme.slice(end)}`);
process.stderr.write(`README.md: ${Object.keys(r.targets).length} targets from ${resultsPath} (${r.mode} run)\n`);
