import { describe, expect, it } from 'vitest';
import { importResourceMapping } from '../../lib/importMapping';
import { retainedResourceNames } from '../../lib/ScimTenantStack';
import { synthTenant } from './synthTenant';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:scim/acme/tokens-AbCdEf';

describe('retained table and secret (decommission and re-onboard)', () => {
  const { stack, template } = synthTenant('acme');

  it('keeps both on stack deletion and on replacement, which also makes them importable', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret']) {
      const resources = Object.values(template.findResources(type));
      expect(resources).toHaveLength(1);
      expect(resources[0]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('maps the retained resources onto the new stack for cdk import, by logical id', () => {
    // Act
    const mapping = importResourceMapping(stack, SECRET_ARN);
    // Assess: the keys are the template's own logical ids, the values what CloudFormation imports by.
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(mapping).toEqual({ [tableId]: { TableName: 'scim-acme' }, [secretId]: { Id: SECRET_ARN } });
    // Without the secret's ARN, the table alone (a PITR restore adopts a restored table, new secret).
    expect(importResourceMapping(synthTenant('acme', { dataGeneration: 2 }).stack)).toEqual({ [tableId]: { TableName: 'scim-acme.g2' } });
  });

  it('keeps the logical ids stable whatever the configuration, so a mapping made once still applies', () => {
    const other = synthTenant('acme', { dashboard: true, metricsDetail: 'full', waf: { enabled: true } }).template;
    expect(Object.keys(other.findResources('AWS::DynamoDB::Table'))).toEqual(Object.keys(template.findResources('AWS::DynamoDB::Table')));
    expect(Object.keys(other.findResources('AWS::SecretsManager::Secret'))).toEqual(Object.keys(template.findResources('AWS::SecretsManager::Secret')));
  });

  it('gives a later dataGeneration fresh names that cannot collide with what generation 1 retained', () => {
    const g2 = synthTenant('acme', { dataGeneration: 2 }).template;
    g2.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'scim-acme.g2' });
    g2.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'scim/acme.g2/tokens', SecretString: JSON.stringify({ version: 1, tenant: 'acme', tokens: [] }) });
    expect(retainedResourceNames('acme')).toEqual({ table: 'scim-acme', secret: 'scim/acme/tokens' });
    // A dot, which no tenant name holds: generation 2 of acme is never tenant acme-g2's table.
    expect(retainedResourceNames('acme', 2).table).not.toBe(retainedResourceNames('acme-g2').table);
    expect(retainedResourceNames('acme', 3).table).not.toBe(retainedResourceNames('acme', 2).table);
  });
});
