import { describe, expect, it } from 'vitest';
import { isScimError, type ScimError } from '../../lambdas/scim/errors';
import { compileFilter, parseFilter } from '../../lambdas/scim/filter';
import { SchemaRegistry } from '../../lambdas/scim/schema';
import { resolveSortBy } from '../../lambdas/scim/sortKey';

const registry = new SchemaRegistry();

function thrown(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (isScimError(e)) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('machine-readable error reasons', () => {
  it('marks a filter naming an attribute the resource type lacks, and nothing else the filter gets wrong', () => {
    // Act
    const unknown = thrown(() => compileFilter(parseFilter('members.value eq "u1"'), { registry, resourceType: 'User' }));
    const unknownSub = thrown(() => compileFilter(parseFilter('emails.nosuch eq "x"'), { registry, resourceType: 'User' }));
    const badOperator = thrown(() => compileFilter(parseFilter('active gt true'), { registry, resourceType: 'User' }));
    // Assess
    expect(unknown).toMatchObject({ status: 400, scimType: 'invalidFilter', reason: 'unknownFilterAttribute' });
    expect(unknownSub).toMatchObject({ scimType: 'invalidFilter' });
    expect(unknownSub.reason).toBeUndefined();
    expect(badOperator.reason).toBeUndefined();
  });

  it('marks a sortBy naming an attribute the resource type lacks', () => {
    // Act
    const error = thrown(() => resolveSortBy(registry, 'Group', 'userName'));
    // Assess
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue', reason: 'unknownSortAttribute' });
  });

  it('keeps the reason out of the error body the client reads', () => {
    // Act
    const body = thrown(() => resolveSortBy(registry, 'Group', 'userName')).toBody();
    // Assess
    expect(Object.keys(body).sort()).toEqual(['detail', 'schemas', 'scimType', 'status']);
  });
});
