import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ChangeRecord } from '../events/changeRecord';

type Image = Record<string, AttributeValue>;

/** A Lambda DynamoDB Streams record (images in DynamoDB JSON) as the pure ChangeRecord: reading the table's item format is the store's job. */
export function toChangeRecord(record: DynamoDBRecord): ChangeRecord {
  const d = record.dynamodb ?? {};
  // Lambda delivers epoch seconds; the Streams API (local poller) a Date the SDK already parsed.
  const approx = d.ApproximateCreationDateTime as number | Date | undefined;
  const approximateTime = approx === undefined ? undefined : approx instanceof Date ? approx.toISOString() : new Date(approx * 1000).toISOString();
  return {
    eventId: record.eventID ?? `${d.SequenceNumber ?? ''}`,
    eventName: (record.eventName ?? 'MODIFY') as ChangeRecord['eventName'],
    ...(approximateTime ? { approximateTime } : {}),
    ...(d.OldImage ? { oldImage: unmarshall(d.OldImage as Image) } : {}),
    ...(d.NewImage ? { newImage: unmarshall(d.NewImage as Image) } : {}),
  };
}
