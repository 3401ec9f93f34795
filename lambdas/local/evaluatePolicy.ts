import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** Matches an IAM resource pattern (`*` any run, `?` one char) against an ARN. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('') + '$');
  return re.test(arn);
}

/**
 * Evaluates an authorizer's policy for `execute-api:Invoke` on `methodArn` as API Gateway
 * does: an explicit Deny wins, otherwise some Allow must match.
 */
export function policyAllows(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  let allowed = false;
  for (const statement of result.policyDocument.Statement) {
    const s = statement as { Effect: string; Action?: string | string[]; Resource?: string | string[] };
    const actions = ([] as string[]).concat(s.Action ?? []);
    if (!actions.some((a) => a === '*' || a === 'execute-api:Invoke' || a === 'execute-api:*')) continue;
    const resources = ([] as string[]).concat(s.Resource ?? []);
    if (!resources.some((r) => arnMatches(r, methodArn))) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}
