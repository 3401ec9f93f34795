import { build, type Metafile } from 'esbuild';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FUNCTION_BUNDLING } from '../../lib/functionBundling';
import { DEFAULT_FUNCTION_ENTRIES, SCIM_FUNCTION_NAMES } from '../../lib/ScimFunctions';
import type { BenchScenario } from '../scenario';

/** Bundle size target of issue 17: every function ≤ 150 KB minified. */
export const MAX_BUNDLE_BYTES = 150 * 1024;

/** One function's bundle. */
export interface BundleFigures {
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
  /** Largest contributors (packages, or our folders), bytes in the minified output. */
  readonly largest: Record<string, number>;
}

/** Where a bundle's bytes come from: a package name, or `lambdas/<folder>`. */
function owner(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1];
  const ours = /^(lambdas\/[^/]+|bench\/[^/]+)/.exec(input);
  return ours ? ours[1] : input;
}

function largestOwners(meta: Metafile, outfile: string, top = 8): Record<string, number> {
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith(outfile))?.[1];
  const by = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) by.set(owner(input), (by.get(owner(input)) ?? 0) + bytesInOutput);
  return Object.fromEntries([...by].sort((a, b) => b[1] - a[1]).slice(0, top));
}

/** The floor function of the cold-start comparison (bench/floor/handler.ts). */
export const FLOOR_ENTRY = join(import.meta.dirname, '..', 'floor', 'handler.ts');

/**
 * Bundles every function (and the floor) with lib/functionBundling.ts's settings into
 * `<dir>/<name>.js` (+ .map); returns the output directory. A package.json `type: commonjs`
 * makes Node load them as Lambda does.
 */
export async function buildBundles(dir: string): Promise<{ dir: string; meta: Metafile }> {
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
  const result = await build({
    entryPoints: { ...Object.fromEntries(SCIM_FUNCTION_NAMES.map((n) => [n, DEFAULT_FUNCTION_ENTRIES[n]])), floor: FLOOR_ENTRY },
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: 'cjs',
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: [...FUNCTION_BUNDLING.externalModules],
    outdir: dir,
    metafile: true,
    logLevel: 'warning',
  });
  return { dir, meta: result.metafile };
}

/** `bundles.<fn>`: minified and gzip bytes of each function as deployed, and what fills them. */
export const bundlesScenario: BenchScenario = {
  name: 'bundles',
  async run({ workDir }) {
    const { dir, meta } = await buildBundles(workDir);
    const figures: Record<string, BundleFigures> = {};
    for (const name of [...SCIM_FUNCTION_NAMES, 'floor']) {
      const code = readFileSync(join(dir, `${name}.js`));
      figures[name] = {
        minifiedBytes: code.byteLength,
        gzipBytes: gzipSync(code, { level: 9 }).byteLength,
        sourceMapBytes: statSync(join(dir, `${name}.js.map`)).size,
        largest: largestOwners(meta, `${name}.js`),
      };
    }
    const fns = SCIM_FUNCTION_NAMES.map((n) => [n, figures[n]] as const);
    const worst = fns.reduce((a, b) => (b[1].minifiedBytes > a[1].minifiedBytes ? b : a));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const markdown = [
      '| function | minified | gzip | source map | largest parts |',
      '|---|---:|---:|---:|---|',
      ...Object.entries(figures).map(
        ([n, f]) => `| \`${n}\` | ${kb(f.minifiedBytes)} | ${kb(f.gzipBytes)} | ${kb(f.sourceMapBytes)} | ${Object.entries(f.largest).slice(0, 5).map(([k, v]) => `${k} ${kb(v)}`).join(', ')} |`,
      ),
    ].join('\n');
    return {
      figures,
      markdown,
      targets: {
        bundles: {
          target: 'every function ≤ 150 KB minified',
          measured: `largest: ${worst[0]} ${kb(worst[1].minifiedBytes)} (${fns.map(([n, f]) => `${n} ${kb(f.minifiedBytes)}`).join(', ')})`,
          pass: fns.every(([, f]) => f.minifiedBytes <= MAX_BUNDLE_BYTES),
        },
      },
      notes: ['Bundles built with lib/functionBundling.ts (the settings lib/ScimFunctions.ts deploys): minified CJS for node22, AWS SDK v3 external (the runtime provides it), source map without sources.'],
    };
  },
};
