import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * esbuild settings of every function, shared by {@link ScimFunctions} and bench/ (which measures
 * bundle sizes and cold starts with exactly these).
 *
 * - The Node.js 22 runtime ships AWS SDK v3: it stays out of the bundles (`@aws-sdk/*` external),
 *   and a function only loads the clients its code imports.
 * - Source maps are written and uploaded with the code, without the sources (`sourcesContent`:
 *   stack traces need only the mappings, and the map loads faster when enabled). Node loads them
 *   only with `--enable-source-maps`, which the tenant's `sourceMaps` switch turns on: parsing a map
 *   at init costs tens of milliseconds of every cold start.
 */
export const FUNCTION_BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.CJS,
  externalModules: ['@aws-sdk/*'],
} as const satisfies BundlingOptions;
