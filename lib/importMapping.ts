import { Stack, type CfnResource } from 'aws-cdk-lib';
import type { ScimTenantStack } from './ScimTenantStack';

/**
 * The `cdk import --resource-mapping` file that adopts a tenant's retained table (and, given its
 * ARN, secret) into a new stack of the same tenant: logical id → the identifier CloudFormation
 * imports by (a table's name; a secret's ARN, which carries a random suffix the caller looks up).
 * Without a secret ARN only the table is adopted and the deploy creates a new secret (PITR restore).
 */
export function importResourceMapping(stack: ScimTenantStack, secretArn?: string): Record<string, Record<string, string>> {
  const logicalId = (resource: CfnResource): string => Stack.of(stack).getLogicalId(resource);
  return {
    [logicalId(stack.table.table.node.defaultChild as CfnResource)]: { TableName: stack.retainedNames.table },
    ...(secretArn ? { [logicalId(stack.secret.secret.node.defaultChild as CfnResource)]: { Id: secretArn } } : {}),
  };
}
