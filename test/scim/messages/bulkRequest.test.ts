import { describe, expect, it } from 'vitest';
import { bulkFailure, bulkResponse, bulkSuccess, bulkTarget, parseBulkRequest, referencedBulkIds, resolveBulkIds, type BulkOperation } from '../../../lambdas/scim/messages';
import { ScimError } from '../../../lambdas/scim/errors';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const limits = { maxOperations: 3 };
const ops = (...Operations: unknown[]) => ({ schemas: [BULK], Operations });

describe('parseBulkRequest', () => {
  it('normalises method and key case and keeps bulkId, version and data', () => {
    // Act
    const r = parseBulkRequest({ schemas: [BULK.toUpperCase()], FailOnErrors: 1, operations: [{ Method: 'post', PATH: '/Users', BULKID: 'u1', data: { userName: 'a' } }, { method: 'DELETE', path: '/Users/1', version: 'W/"2"' }] }, limits);
    // Assess
    expect(r).toEqual({
      failOnErrors: 1,
      operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { userName: 'a' } },
        { method: 'DELETE', path: '/Users/1', version: 'W/"2"' },
      ],
    });
  });

  it.each([
    ['a non-object body', [], 400, 'invalidSyntax'],
    ['a missing schema', { Operations: [{ method: 'DELETE', path: '/Users/1' }] }, 400, 'invalidSyntax'],
    ['no operations', ops(), 400, 'invalidSyntax'],
    ['more operations than advertised (RFC 7644 §3.7.4)', ops(...Array(4).fill({ method: 'DELETE', path: '/Users/1' })), 413, undefined],
    ['failOnErrors zero', { ...ops({ method: 'DELETE', path: '/Users/1' }), failOnErrors: 0 }, 400, 'invalidValue'],
    ['a GET', ops({ method: 'GET', path: '/Users' }), 400, 'invalidValue'],
    ['a relative path', ops({ method: 'DELETE', path: 'Users/1' }), 400, 'invalidValue'],
    ['a POST without bulkId', ops({ method: 'POST', path: '/Users', data: {} }), 400, 'invalidValue'],
    ['an operation that is not an object', ops('x'), 400, 'invalidSyntax'],
  ])('refuses %s', (_name, body, status, scimType) => {
    expect(() => parseBulkRequest(body, limits)).toThrow(expect.objectContaining({ status, scimType }));
  });
});

describe('bulkId references', () => {
  const op: BulkOperation = { method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ value: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }, { value: 'plain' }] }] } };

  it('finds every bulkId an operation refers to, in its path and anywhere in its data', () => {
    expect([...referencedBulkIds(op)].sort()).toEqual(['g', 'u1', 'u2']);
  });

  it('replaces the references it knows and leaves the others', () => {
    // Act
    const resolved = resolveBulkIds(op, new Map([['g', 'G1'], ['u1', 'U1']]));
    // Assess
    expect(resolved.path).toBe('/Groups/G1');
    expect(resolved.data).toEqual({ Operations: [{ value: [{ value: 'U1' }, { value: 'bulkId:u2' }, { value: 'plain' }] }] });
    expect(op.path).toBe('/Groups/bulkId:g');
  });
});

describe('bulkTarget', () => {
  it.each([
    ['POST', '/Users', { resourceType: 'User' }],
    ['POST', '/groups/', { resourceType: 'Group' }],
    ['PATCH', '/Groups/abc', { resourceType: 'Group', id: 'abc' }],
    ['DELETE', '/Users/a%20b', { resourceType: 'User', id: 'a b' }],
  ])('routes %s %s', (method, path, expected) => {
    expect(bulkTarget({ method: method as BulkOperation['method'], path })).toEqual(expected);
  });

  it.each([
    ['POST', '/Bulk', 404],
    ['POST', '/Users/.search', 404],
    ['PUT', '/Users/1/x', 404],
    ['PUT', '/Users', 405],
    ['POST', '/Users/1', 405],
    ['DELETE', '/Users/%E0%A4%A', 404],
  ])('answers %s %s with %i', (method, path, status) => {
    expect(() => bulkTarget({ method: method as BulkOperation['method'], path })).toThrow(expect.objectContaining({ status }));
  });
});

describe('bulkResponse', () => {
  it('reports successes with location and version and failures with their SCIM error', () => {
    // Act
    const body = bulkResponse([
      bulkSuccess({ method: 'POST', bulkId: 'u1' }, 201, 'https://h/scim/v2/Users/1', 'W/"1"'),
      bulkFailure({ method: 'DELETE' }, ScimError.notFound('User 2 not found')),
    ]);
    // Assess
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: [
        { method: 'POST', bulkId: 'u1', version: 'W/"1"', location: 'https://h/scim/v2/Users/1', status: '201' },
        { method: 'DELETE', status: '404', response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'User 2 not found' } },
      ],
    });
  });
});
