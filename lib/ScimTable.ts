import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../lambdas/contracts/tableDefinition';

/** Props of {@link ScimTable}. */
export interface ScimTableProps {
  /**
   * Physical table name. Tenant-scoped (`scim-<tenant>`) so several tenants share an account.
   * @default - a CloudFormation-generated name
   */
  readonly tableName?: string;
  /**
   * Customer-managed KMS key; when absent the table uses the AWS-managed key (`aws/dynamodb`),
   * which costs nothing and needs no key policy.
   * @default - AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What CloudFormation does with the table when the stack (or the resource) is deleted.
   * The table holds the tenant's directory: losing it means a full re-provisioning from the IdP.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Refuse DeleteTable calls until protection is switched off explicitly.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * How many of TABLE_DEFINITION's global secondary indexes to declare (the first n). Only for
   * upgrading a table created with fewer: CloudFormation adds one GSI per update.
   * @default - all of them
   */
  readonly indexCount?: number;
}

/**
 * The tenant's single DynamoDB table, built from TABLE_DEFINITION (the same definition the
 * DynamoDB Local harness uses, so key and index names cannot drift between tests and AWS).
 */
export class ScimTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ScimTableProps = {}) {
    super(scope, id);
    const def = TABLE_DEFINITION;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: def.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: def.sortKey, type: dynamodb.AttributeType.STRING },
      // IdP traffic is bursty (a full sync, then near silence): on-demand costs nothing when idle.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      // Both images: the change-events work (EventBridge) diffs old and new to name what changed.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: def.ttlAttribute,
    });
    for (const gsi of def.globalSecondaryIndexes.slice(0, props.indexCount ?? def.globalSecondaryIndexes.length)) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
        // ALL where the store reads whole items from the index; KEYS_ONLY for the sorted indexes,
        // which a PATCH then touches only when their keys change (see tableDefinition.ts).
        projectionType: gsi.projection === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
      });
    }
  }

  /**
   * Read access for the vendor's app (docs/table-layout.md): GetItem, BatchGetItem and Query on the
   * table and its indexes, and nothing else: no Scan (every documented pattern is a key lookup), no
   * writes (the SCIM endpoint owns the table), no stream (consume the change events instead).
   */
  grantAppRead(grantee: iam.IGrantable): iam.Grant {
    return this.table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable');
  }
}
