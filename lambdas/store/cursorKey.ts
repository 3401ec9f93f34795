import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isSdkError, mapSdkError } from './sdkErrors';
import type { TableContext } from './tableContext';

/**
 * The tenant's cursor key: 32 random bytes, made on first use and kept in the tenant's own key space
 * of its table (one item, `CURSORKEY`). Per tenant, so a cursor never verifies in another tenant;
 * in the table, so every function of the tenant (and the local server) shares it without another
 * secret to deploy or rotate. Whoever can read the table can forge a cursor, but can read every
 * page directly anyway: the key only stops clients from editing cursors into other queries or
 * into start keys DynamoDB refuses. Created with a conditional put, so racing containers agree.
 */
export async function loadCursorKey(ctx: TableContext): Promise<Buffer> {
  const key = ctx.keys.cursorKey();
  const found = await ctx.getItem(key);
  if (typeof found?.secret === 'string') return Buffer.from(found.secret, 'base64');
  const secret = randomBytes(32);
  try {
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: { ...key, secret: secret.toString('base64') }, ConditionExpression: 'attribute_not_exists(PK)' }));
    return secret;
  } catch (e) {
    if (!isSdkError(e, 'ConditionalCheckFailedException')) throw mapSdkError(e);
    // Another container made it first: use theirs.
    const theirs = await ctx.getItem(key);
    return Buffer.from(String(theirs?.secret), 'base64');
  }
}
