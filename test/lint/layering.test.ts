import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

/** The no-restricted-imports messages ESLint reports for `code` as if it were the file at `filePath`. */
async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the DynamoDB layering rule', () => {
  const imports = [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n",
    "import { GetCommand } from '@aws-sdk/lib-dynamodb';\nexport const c = GetCommand;\n",
  ];

  it.each(['lambdas/handlers/resources/x.ts', 'lambdas/http/x.ts', 'lambdas/auth/x.ts', 'lib/x.ts', 'bin/x.ts'])('refuses a DynamoDB client import in %s', async (file) => {
    for (const code of imports) {
      // Act
      const messages = await restrictedImports(code, file);
      // Assess
      expect(messages.join('\n')).toMatch(/store/);
    }
  });

  it.each(['lambdas/store/x.ts', 'lambdas/local/x.ts', 'bench/x.ts', 'test/x.ts'])('allows it in %s', async (file) => {
    for (const code of imports) expect(await restrictedImports(code, file)).toEqual([]);
  });

  it('still refuses every AWS import in lambdas/scim', async () => {
    const messages = await restrictedImports(imports[0], 'lambdas/scim/x.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('lambdas/scim must not import AWS.');
    expect(await restrictedImports("import { S3 } from '@aws-sdk/client-s3';\nexport const s = S3;\n", 'lambdas/scim/x.ts')).toHaveLength(1);
  });
});

describe('the contracts and auth layering rules', () => {
  it('refuses an import of ours outside lambdas/contracts in a contract', async () => {
    const messages = await restrictedImports("import { ScimError } from '../scim/errors';\nexport const e = ScimError;\n", 'lambdas/contracts/x.ts');
    expect(messages.join('\n')).toContain('lambdas/contracts imports nothing');
  });

  it('allows a contract to import another contract', async () => {
    expect(await restrictedImports("import { SCIM_BASE } from './scimApi';\nexport const b = SCIM_BASE;\n", 'lambdas/contracts/x.ts')).toEqual([]);
  });

  it('refuses an import of the HTTP layer in lambdas/auth, and still the DynamoDB clients', async () => {
    expect((await restrictedImports("import { METRIC } from '../http/metricNames';\nexport const m = METRIC;\n", 'lambdas/auth/x.ts')).join('\n')).toContain('lambdas/contracts');
    expect((await restrictedImports("import { GetCommand } from '@aws-sdk/lib-dynamodb';\nexport const c = GetCommand;\n", 'lambdas/auth/x.ts')).join('\n')).toContain('store');
  });
});
