import { describe, it, expect } from 'vitest';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../../lambdas/http/createScimHandler';
import { parsedBody } from '../../lambdas/http/middlewares/scimBodyParser';
import { route } from '../../lambdas/http/router';
import { scimResponse } from '../../lambdas/http/responses';
import { ScimError } from '../../lambdas/scim/errors';

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/scim/v2/Users',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    resource: '/{proxy+}',
    requestContext: {
      path: '/prod/scim/v2/Users',
      domainName: 'api.example.com',
      authorizer: { tokenId: 'tok_1', tenant: 'acme', scopes: 'scim:read scim:write' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

describe('createScimHandler', () => {
  it('checks scopes before reading the body: a read-only token posting bad JSON gets 403, not 400', async () => {
    // Prepare
    const handler = createScimHandler(async () => scimResponse(201, {}));
    const readOnly = event({ httpMethod: 'POST', body: '{not json' });
    (readOnly.requestContext.authorizer as Record<string, string>).scopes = 'scim:read';
    // Act
    const result = await handler(readOnly, context);
    // Assess: the guard ran before the parser, and the error handler rendered its error
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body).detail).toContain('scim:write');
  });

  it('lets a read-only token search with POST .search', async () => {
    const handler = createScimHandler(async () => scimResponse(200, { ok: true }));
    const search = event({ httpMethod: 'POST', path: '/scim/v2/Users/.search', body: '{}' });
    (search.requestContext.authorizer as Record<string, string>).scopes = 'scim:read';
    const result = await handler(search, context);
    expect(result.statusCode).toBe(200);
  });

  it('renders a thrown ScimError as an RFC 7644 error body with its status and scimType', async () => {
    // Prepare
    const handler = createScimHandler(async () => {
      throw ScimError.badRequest('invalidFilter', 'bad filter at position 3');
    });
    // Act
    const result = await handler(event(), context);
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['Content-Type']).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(result.body)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'bad filter at position 3',
    });
  });

  it('answers an unexpected failure with a detail-free 500 and no stack trace', async () => {
    const handler = createScimHandler(async () => {
      throw new TypeError('secret internals: cannot read x of undefined');
    });
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret internals');
    expect(result.body).not.toContain('at ');
    expect(JSON.parse(result.body).detail).toBe('Internal server error');
  });

  it.each([
    ['NotFoundError', 404, undefined],
    ['ConflictError', 409, 'uniqueness'],
    ['PreconditionFailedError', 412, undefined],
    ['InvalidMemberError', 400, 'invalidValue'],
    ['TooManyResultsError', 400, 'tooMany'],
    ['ResourceTooLargeError', 400, 'invalidValue'],
    ['InvalidCursorError', 400, 'invalidCursor'],
    ['ProvisionedThroughputExceededException', 429, undefined],
  ])('maps a %s from the store or SDK to HTTP %i', async (name, status, scimType) => {
    const handler = createScimHandler(async () => {
      const e = new Error('boom');
      e.name = name;
      throw e;
    });
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body).scimType).toBe(scimType);
    if (status === 429) expect(result.headers?.['Retry-After']).toBeDefined();
  });

  it('parses application/scim+json, application/json and charset variants', async () => {
    const handler = createScimHandler(async (e) => scimResponse(200, parsedBody(e)));
    for (const type of ['application/scim+json', 'application/json', 'application/json; charset=utf-8', 'Application/SCIM+JSON;charset=UTF-8']) {
      const result = await handler(event({ httpMethod: 'POST', headers: { 'content-type': type }, body: '{"a":1}' }), context);
      expect(JSON.parse(result.body)).toEqual({ a: 1 });
    }
  });

  it('decodes base64 bodies as API Gateway delivers them', async () => {
    const handler = createScimHandler(async (e) => scimResponse(200, parsedBody(e)));
    const result = await handler(event({ httpMethod: 'POST', body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true }), context);
    expect(JSON.parse(result.body)).toEqual({ b: 2 });
  });

  it('answers invalid JSON with 400 invalidSyntax', async () => {
    const handler = createScimHandler(async () => scimResponse(200, {}));
    const result = await handler(event({ httpMethod: 'POST', body: '{"a":' }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).scimType).toBe('invalidSyntax');
  });

  it('answers an oversized body with 413 before parsing it', async () => {
    const handler = createScimHandler(async () => scimResponse(200, {}), { body: { maxBytes: 10 } });
    const result = await handler(event({ httpMethod: 'POST', body: '{"a":"0123456789"}' }), context);
    expect(result.statusCode).toBe(413);
  });

  it('answers a non-JSON media type with 415', async () => {
    const handler = createScimHandler(async () => scimResponse(200, {}));
    const result = await handler(event({ httpMethod: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<a/>' }), context);
    expect(result.statusCode).toBe(415);
  });
});

describe('route', () => {
  const handler = createScimHandler(
    route([
      { method: 'GET', pattern: /^\/Users\/([^/]+)$/i, handle: async (_e, [id]) => scimResponse(200, { id }) },
      { method: 'DELETE', pattern: /^\/Users\/([^/]+)$/i, handle: async () => scimResponse(204) },
    ]),
  );

  it('passes decoded path parameters to the matching route', async () => {
    const result = await handler(event({ path: '/scim/v2/Users/a%20b' }), context);
    expect(JSON.parse(result.body)).toEqual({ id: 'a b' });
  });

  it('answers an unknown path with a SCIM 404', async () => {
    const result = await handler(event({ path: '/scim/v2/Nope' }), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it('answers a known path with an unsupported method with 405 and Allow', async () => {
    const result = await handler(event({ path: '/scim/v2/Users/1', httpMethod: 'PUT' }), context);
    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe('GET, DELETE');
  });

  it('answers a malformed percent-escape with 404, not 500', async () => {
    const result = await handler(event({ path: '/scim/v2/Users/%E0%A4%A' }), context);
    expect(result.statusCode).toBe(404);
  });
});

describe('createScimHandler response size', () => {
  it('turns a result too large for Lambda into a SCIM 400 tooMany instead of a 502', async () => {
    // Prepare: a body of 4 MB of quotes, 8 MB once Lambda escapes it inside the proxy result.
    const handler = createScimHandler(async () => scimResponse(200, { v: '"'.repeat(4 * 1024 * 1024) }));
    // Act
    const result = await handler(event(), context);
    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ status: '400', scimType: 'tooMany' });
    expect(JSON.parse(result.body).detail).toMatch(/excludedAttributes/);
  });

  it('passes a large result that fits through untouched', async () => {
    const handler = createScimHandler(async () => scimResponse(200, { v: 'a'.repeat(5 * 1024 * 1024) }));
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(200);
  });
});
