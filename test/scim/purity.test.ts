import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../lambdas/scim');

/** What lambdas/scim must never contain (docs/design.md: the protocol is pure; scim -> nothing of ours). */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/@aws-sdk\//, 'an AWS SDK import'],
  [/['"]aws-cdk-lib/, 'a CDK import'],
  [/\bprocess\.env\b/, 'process.env'],
  [/['"](node:)?(fs|fs\/promises|http|https|net|child_process)['"]/, 'an I/O module'],
  [/from\s+['"][^'"]*\/(store|http|handlers|auth|local)(\/[^'"]*)?['"]/, 'an import of an outer layer'],
  [/import\(\s*['"][^'"]*\/(store|http|handlers|auth|local)(\/[^'"]*)?['"]\s*\)/, 'a dynamic import of an outer layer'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('lambdas/scim purity', () => {
  const files = sources(ROOT);

  it.each([
    ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
    ['const table = process.env.TABLE_NAME;'],
    ["import { readFileSync } from 'node:fs';"],
    ["import { putUser } from '../store/users';"],
    ["import { verify } from '../../auth';"],
    ["const m = await import('../http/request');"],
  ])('recognises the forbidden line %s', (line) => {
    // Act
    const found = FORBIDDEN.some(([pattern]) => pattern.test(line));
    // Assess
    expect(found).toBe(true);
  });

  it('finds the protocol sources to scan', () => {
    // Assess
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports no AWS, does no I/O and reads no environment', (_name, file) => {
    // Prepare
    const text = readFileSync(file, 'utf8');
    // Act
    const found = FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
    // Assess
    expect(found).toEqual([]);
  });
});
