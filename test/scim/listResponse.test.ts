import { describe, expect, it } from 'vitest';
import { listResponse } from '../../lambdas/scim/listResponse';
import { URN } from '../../lambdas/scim/schema';

describe('listResponse', () => {
  it('renders an empty result as a ListResponse with Resources: [] (Entra Test Connection)', () => {
    // Act
    const body = listResponse({ resources: [], totalResults: 0, startIndex: 1 });
    // Assess
    expect(body).toEqual({ schemas: [URN.listResponse], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
  });

  it('renders an index-paged page with startIndex and the page size', () => {
    // Act
    const body = listResponse({ resources: [{ id: 'a' }, { id: 'b' }], totalResults: 250, startIndex: 101 });
    // Assess
    expect(body).toEqual({ schemas: [URN.listResponse], totalResults: 250, itemsPerPage: 2, startIndex: 101, Resources: [{ id: 'a' }, { id: 'b' }] });
  });

  it('renders a cursor-paged page with nextCursor and previousCursor and without startIndex (RFC 9865)', () => {
    // Act
    const body = listResponse({ resources: [{ id: 'a' }], totalResults: 3, itemsPerPage: 1, nextCursor: 'c2', previousCursor: 'c0' });
    // Assess
    expect(body).toEqual({ schemas: [URN.listResponse], totalResults: 3, itemsPerPage: 1, nextCursor: 'c2', previousCursor: 'c0', Resources: [{ id: 'a' }] });
    expect(body).not.toHaveProperty('startIndex');
  });

  it('omits nextCursor on the last cursor page', () => {
    // Act
    const body = listResponse({ resources: [{ id: 'z' }], totalResults: 1, nextCursor: '' });
    // Assess
    expect(body).not.toHaveProperty('nextCursor');
  });

  it('puts Resources last, after the paging attributes', () => {
    // Act
    const body = listResponse({ resources: [], totalResults: 0, startIndex: 1 });
    // Assess
    expect(Object.keys(body)).toEqual(['schemas', 'totalResults', 'itemsPerPage', 'startIndex', 'Resources']);
  });
});
