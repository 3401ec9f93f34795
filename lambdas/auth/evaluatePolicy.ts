import type { PolicyDocument, Statement } from 'aws-lambda';

/**
 * Whether `policy` lets `methodArn` be invoked, the way API Gateway decides: an explicit Deny
 * wins, else an Allow is needed; `*` in a resource matches any characters, `/` included. For the
 * local dev server, so a read-only token gets the same 403 there as behind API Gateway.
 */
export function evaluatePolicy(policy: PolicyDocument, methodArn: string): boolean {
  const matches = (s: Statement): boolean => resourcesOf(s).some((r) => wildcardMatch(r, methodArn));
  const statements = policy.Statement;
  if (statements.some((s) => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s));
}

function resourcesOf(s: Statement): string[] {
  const r = (s as { Resource?: string | string[] }).Resource;
  return r === undefined ? [] : Array.isArray(r) ? r : [r];
}

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}
