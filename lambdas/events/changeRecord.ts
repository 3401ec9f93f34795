import { parseResourceKey } from '../store/keys';

/**
 * One table stream record in plain JSON (images unmarshalled): what the pure derivation reads. The
 * stream handler builds it from a Lambda DynamoDB Streams record, the local poller from
 * GetRecords, so both run the same deriveEvents.
 */
export interface ChangeRecord {
  /** The stream record's `eventID`: unique per change, kept across redeliveries. */
  readonly eventId: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** `ApproximateCreationDateTime` as ISO 8601: the commit time when the item carries none. */
  readonly approximateTime?: string;
  readonly oldImage?: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
}

/** The stream records worth a Lambda invocation: resource items only (SK `META`). */
export const RESOURCE_ITEM_SORT_KEY = 'META';

/**
 * The key space a record's resource item belongs to: `''` in a per-tenant table, `<tenant>#` in a
 * pooled one; undefined when the record is not of a resource item (nothing to publish).
 */
export function keyPrefixOf(record: ChangeRecord): string | undefined {
  const image = record.newImage ?? record.oldImage;
  return image ? parseResourceKey(image)?.prefix : undefined;
}
