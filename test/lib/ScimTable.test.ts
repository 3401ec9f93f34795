import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { TABLE_DEFINITION } from '../../lambdas/contracts/tableDefinition';
import { ScimTable } from '../../lib/ScimTable';
import { testApp } from './synthTenant';

function synth(build: (stack: Stack) => void): Template {
  const stack = new Stack(testApp(), 'TableTest');
  build(stack);
  return Template.fromStack(stack);
}

describe('ScimTable', () => {
  const template = synth((s) => new ScimTable(s, 'Table', { tableName: 'scim-acme' }));

  it('builds keys and GSIs from TABLE_DEFINITION', () => {
    // Prepare
    const expectedGsis = TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: g.projection },
    }));
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'scim-acme',
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: expectedGsis,
    });
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(TABLE_DEFINITION.globalSecondaryIndexes.length);
  });

  it('is on-demand with PITR, deletion protection, SSE, a NEW_AND_OLD_IMAGES stream and the TTL attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.ttlAttribute, Enabled: true },
    });
  });

  it('is retained when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('uses a customer-managed key when encryptionKey is given', () => {
    const t = synth((s) => new ScimTable(s, 'Table', { encryptionKey: new kms.Key(s, 'Key') }));
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });

  it('honours removalPolicy and deletionProtection overrides', () => {
    const t = synth((s) => new ScimTable(s, 'Table', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false }));
    t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });
});

describe('a table upgraded from before the sorted indexes (tenant config tableIndexes)', () => {
  it('declares only GSI1..GSIn, so each deploy adds the one GSI CloudFormation allows per update, and tells the functions the sorted indexes are off', async () => {
    // Prepare
    const { synthTenant } = await import('./synthTenant');
    // Act
    const upgrading = synthTenant('acme', { tableIndexes: 3 }).template;
    const done = synthTenant('acme', {}).template;
    // Assess
    const gsis = (t: Template) => (Object.values(t.findResources('AWS::DynamoDB::Table'))[0].Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((g) => g.IndexName);
    expect(gsis(upgrading)).toEqual(['GSI1', 'GSI2', 'GSI3']);
    expect(gsis(done)).toEqual(TABLE_DEFINITION.globalSecondaryIndexes.map((g) => g.indexName));
    const scimConfigs = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function'))
        .map((f) => (f.Properties.Environment?.Variables as Record<string, string> | undefined)?.SCIM_CONFIG)
        .filter((c): c is string => c !== undefined)
        .map((c) => JSON.parse(c).sortedIndexes);
    expect(new Set(scimConfigs(upgrading))).toEqual(new Set([false]));
    expect(new Set(scimConfigs(done))).toEqual(new Set([true]));
  });
});
