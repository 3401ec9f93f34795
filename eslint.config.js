// Lint config: typescript-eslint's recommended rules plus the layering rule of docs/design.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The DynamoDB clients: only lambdas/store (and lambdas/local, bench, test) may import them. */
const DYNAMODB_CLIENTS = { group: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'], message: 'Only lambdas/store (and lambdas/local, bench, test) import the DynamoDB clients: go through the store.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Only the storage layer speaks DynamoDB (docs/design.md layers); the local server, the bench and the
    // tests may drive DynamoDB Local directly. Listed before the lambdas/scim block, which bans all
    // of @aws-sdk and, coming later, takes over no-restricted-imports for its files.
    files: ['**/*.ts'],
    ignores: ['lambdas/store/**', 'lambdas/local/**', 'bench/**', 'test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          DYNAMODB_CLIENTS,
        ],
      }],
    },
  },
  {
    // lambdas/auth depends on contracts, not on the HTTP layer of the SCIM handlers.
    files: ['lambdas/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          DYNAMODB_CLIENTS,
          { group: ['**/http/**', '**/handlers/**', '**/provisioning/**'], message: 'lambdas/auth must not import the SCIM HTTP layer; shared names live in lambdas/contracts.' },
        ],
      }],
    },
  },
  {
    // lambdas/contracts is the leaf lib/ and every layer share: plain data, imports nothing else.
    files: ['lambdas/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'zod', 'zod/*'], message: 'lambdas/contracts imports nothing but its own modules.' }],
      }],
    },
  },
  {
    // lambdas/scim is the pure protocol: no AWS SDK, no I/O, nothing from the outer layers.
    files: ['lambdas/scim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'lambdas/scim must not import AWS.' },
          { group: ['node:fs', 'node:http', 'node:net', 'node:child_process', 'fs', 'http', 'net', 'child_process'], message: 'lambdas/scim does no I/O.' },
          { group: ['**/store/**', '**/http/**', '**/handlers/**', '**/auth/**', '**/local/**'], message: 'lambdas/scim depends on nothing of ours.' },
        ],
      }],
    },
  },
);
