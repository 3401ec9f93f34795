import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '../support/dynamo';
import { ScimStore, type ScimStoreOptions } from '../../lambdas/store/ScimStore';
import { attachRequestCounter, type RequestCounter } from '../../lambdas/store/requestCounter';

/** A fresh table, a store on it and a request counter on its client. */
export interface StoreHarness {
  table: TestTable;
  store: ScimStore;
  counter: RequestCounter;
  /** Every item of the table (test inspection only: a Scan, counted out of the cost assertions). */
  allItems(): Promise<Record<string, unknown>[]>;
  /** Items of one partition. */
  partition(pk: string): Promise<Record<string, unknown>[]>;
}

/** Builds a harness; the counter is reset before returning. */
export async function createStoreHarness(options: Partial<Omit<ScimStoreOptions, 'doc' | 'tableName'>> = {}): Promise<StoreHarness> {
  const table = await createTestTable('store');
  const store = new ScimStore({ doc: table.doc, tableName: table.tableName, ...options });
  const counter = attachRequestCounter(table.doc);
  const withoutCounting = async <T>(f: () => Promise<T>): Promise<T> => {
    const saved = JSON.parse(JSON.stringify(counter.counts)) as typeof counter.counts;
    try {
      return await f();
    } finally {
      Object.assign(counter.counts, saved);
    }
  };
  return {
    table,
    store,
    counter,
    allItems: () =>
      withoutCounting(async () => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const res = await table.doc.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }));
          items.push(...((res.Items ?? []) as Record<string, unknown>[]));
          start = res.LastEvaluatedKey;
        } while (start);
        return items;
      }),
    partition: (pk) =>
      withoutCounting(async () => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const res = await table.doc.send(
            new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
          );
          items.push(...((res.Items ?? []) as Record<string, unknown>[]));
          start = res.LastEvaluatedKey;
        } while (start);
        return items;
      }),
  };
}

/** A minimal valid user. */
export function userData(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true, ...extra };
}

/** A minimal valid group. */
export function groupData(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, ...extra };
}
