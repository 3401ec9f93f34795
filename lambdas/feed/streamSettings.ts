/**
 * How the table's stream feeds the stream handler: one set of numbers for the stack's event source
 * mapping (lib/ScimChangeFeed.ts) and the local poller (lambdas/local/streamPoller.ts), so local
 * runs batch, filter and retry like AWS.
 */
export const STREAM_SETTINGS = {
  /** Records per invocation. */
  batchSize: 100,
  /** Seconds Lambda may wait to fill a batch: events reach consumers within about this. */
  maxBatchingWindowSeconds: 1,
  /** Retries of a failing batch before it goes to the dead-letter queue. */
  retryAttempts: 8,
  /**
   * Only resource items invoke the handler: SK `META` and a `resourceType` of User or Group in the
   * new image (INSERT, MODIFY) or the old one (REMOVE). Lambda ORs the filters. Membership, marker,
   * lookup, counter, cursor, cursor-key, graph-version, cleanup, audit and event-log items never do,
   * nor the pooled stack's tenant and token records (also SK `META`, but no `resourceType`):
   * filtered-out records cost no invocation, and the logs cannot feed themselves. deriveEvents
   * checks the key again, so a record that gets through anyway yields nothing.
   */
  filterPatterns: [
    { dynamodb: { Keys: { SK: { S: ['META'] } }, NewImage: { resourceType: { S: ['User', 'Group'] } } } },
    { dynamodb: { Keys: { SK: { S: ['META'] } }, OldImage: { resourceType: { S: ['User', 'Group'] } } } },
  ],
} as const;

type StreamImage = Record<string, { S?: string } | undefined> | undefined;

/** Whether a stream record passes STREAM_SETTINGS.filterPatterns (the local poller's copy of Lambda's filter). */
export function passesStreamFilter(record: { Keys?: StreamImage; NewImage?: StreamImage; OldImage?: StreamImage } | undefined): boolean {
  const isResourceType = (image: StreamImage) => image?.resourceType?.S === 'User' || image?.resourceType?.S === 'Group';
  return record?.Keys?.SK?.S === 'META' && (isResourceType(record.NewImage) || isResourceType(record.OldImage));
}

/** Timeouts and memory of the change feed's functions (lib/ScimChangeFeed.ts; the local server uses the events one). */
export const FEED_FUNCTIONS = {
  stream: { timeoutSeconds: 60, memoryMb: 512 },
  events: { timeoutSeconds: 10, memoryMb: 512 },
} as const;
