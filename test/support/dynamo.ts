import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDynamoClients, type DynamoClients } from '../../lambdas/store/clients';
import { createTable } from '../../lambdas/store/createTable';

/** A fresh table on the run's DynamoDB Local, so a test sees only its own data. */
export interface TestTable extends DynamoClients {
  readonly endpoint: string;
  readonly tableName: string;
}

/** Creates a uniquely named table from TABLE_DEFINITION on DynamoDB Local. */
export async function createTestTable(prefix = 'test'): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const clients = createDynamoClients({ endpoint });
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTable(clients.client, tableName);
  return { ...clients, endpoint, tableName };
}
