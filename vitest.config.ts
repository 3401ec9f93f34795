import { defineConfig } from 'vitest/config';

/**
 * The end-to-end files that also run in pooled mode (test/support/localStack.ts E2E_MODE_ENV):
 * the IdP flows (Entra, Okta, governance) and the core CRUD, query and bulk files, unchanged, on a
 * tenant of a local pool. The rest of the suite runs once, in silo mode; the pool's own isolation,
 * lifecycle and data suites (test/e2e/pool*.test.ts) run there too.
 */
const POOL_E2E_FILES = [
  'test/e2e/entraUsers.test.ts',
  'test/e2e/entraGroups.test.ts',
  'test/e2e/oktaUsers.test.ts',
  'test/e2e/oktaGroups.test.ts',
  'test/e2e/governanceGroups.test.ts',
  'test/e2e/usersCrud.test.ts',
  'test/e2e/groups.test.ts',
  'test/e2e/rootSearch.test.ts',
  'test/e2e/bulk.test.ts',
  'test/e2e/discoveryReadOnly.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    // Heavy scale tests opt in with SCIM_SCALE_TESTS=1 (the benchmark runs them anyway).
    pool: 'forks',
    env: {
      // EMF lines and per-request logs would drown the test output; tests that assert on logs inject their own logger.
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      { extends: true, test: { name: 'silo', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'pool', include: POOL_E2E_FILES, env: { SCIM_E2E_MODE: 'pool' } } },
    ],
  },
});
