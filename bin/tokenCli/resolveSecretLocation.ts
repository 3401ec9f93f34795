import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
/** The tenant stack or its outputs could not be read. */
export class StackOutputsError extends Error {
  override name = 'StackOutputsError';
}

/** The tenant stack's name (lib/ names it the same way). */
export function stackName(tenant: string): string {
  return `Scim-${tenant}`;
}

/** Stack output keys the CLI reads. */
export const STACK_OUTPUTS = { secretArn: 'SecretArn', baseUrl: 'ScimBaseUrl' } as const;

/** The secret ARN and SCIM base URL from the tenant stack's outputs (default credential chain). */
export async function readStackOutputs(
  client: CloudFormationClient,
  tenant: string,
): Promise<{ secretArn: string; baseUrl: string | undefined; outputs: Readonly<Record<string, string>> }> {
  const name = stackName(tenant);
  let outputs;
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: name }));
    outputs = out.Stacks?.[0]?.Outputs ?? [];
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new StackOutputsError(`cannot read stack ${name} (${reason}); deploy it first, check AWS credentials/region, or pass --secret-arn`);
  }
  const get = (key: string) => outputs.find((o) => o.OutputKey === key)?.OutputValue;
  const secretArn = get(STACK_OUTPUTS.secretArn);
  if (!secretArn) throw new StackOutputsError(`stack ${name} has no ${STACK_OUTPUTS.secretArn} output; pass --secret-arn`);
  const all = Object.fromEntries(outputs.filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey!, o.OutputValue!]));
  return { secretArn, baseUrl: get(STACK_OUTPUTS.baseUrl), outputs: all };
}
