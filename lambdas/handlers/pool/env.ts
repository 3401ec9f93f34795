import { createDynamoClients } from '../../store/clients';
import { PoolDirectory } from '../../store/PoolDirectory';
import type { PoolFunctionsOptions } from '../../pool/createPoolHandler';

/**
 * What every pooled function reads from its environment (lib/ScimPoolFunctions.ts sets it):
 * `TABLE_NAME`, the shared table, and for DynamoDB Local `DYNAMODB_ENDPOINT`. Throws at init when
 * the table is not named, so a misdeployed stack fails loudly instead of serving nothing.
 */
export function poolOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PoolFunctionsOptions {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: env.DYNAMODB_ENDPOINT });
  return { doc, tableName, directory: new PoolDirectory({ doc, tableName }) };
}
