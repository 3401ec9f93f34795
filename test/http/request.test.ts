import { describe, it, expect } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { baseUrl, isValidAuthority, queryParam, scimPath } from '../../lambdas/http/request';
import { operationName } from '../../lambdas/http/operationName';
import { requestMetrics, tenantMetrics } from '../../lambdas/http/requestMetrics';

const ev = (e: Partial<APIGatewayProxyEvent>) => e as APIGatewayProxyEvent;

describe('request helpers', () => {
  it('builds the absolute base URL including the API Gateway stage', () => {
    const e = ev({ path: '/scim/v2/Users', headers: {}, requestContext: { domainName: 'abc.execute-api.eu-west-1.amazonaws.com', path: '/prod/scim/v2/Users' } as never });
    expect(baseUrl(e)).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod/scim/v2');
  });

  it('builds it from a custom domain\'s base-path mapping as API Gateway reports it', () => {
    const e = ev({ path: '/scim/v2/Users', headers: {}, requestContext: { domainName: 'scim.acme.example', path: '/tenant-a/scim/v2/Users' } as never });
    expect(baseUrl(e)).toBe('https://scim.acme.example/tenant-a/scim/v2');
  });

  it.each([
    ['X-Forwarded-Proto', { 'X-Forwarded-Proto': 'http' }],
    ['Host', { Host: 'evil.example' }],
    ['X-Forwarded-Host', { 'X-Forwarded-Host': 'evil.example' }],
    ['Forwarded', { Forwarded: 'host=evil.example;proto=http' }],
  ])('ignores a client-sent %s header', (_name, headers) => {
    const e = ev({ path: '/scim/v2/Users', headers, requestContext: { domainName: 'abc.execute-api.eu-west-1.amazonaws.com', path: '/prod/scim/v2/Users' } as never });
    expect(baseUrl(e)).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod/scim/v2');
  });

  it('uses plain http only for the loopback domain the local server reports', () => {
    const e = ev({ path: '/scim/v2/Users', headers: {}, requestContext: { domainName: '127.0.0.1:8080', path: '/scim/v2/Users' } as never });
    expect(baseUrl(e)).toBe('http://127.0.0.1:8080/scim/v2');
  });

  it('prefers the configured SCIM_PUBLIC_BASE_URL', () => {
    const e = ev({ path: '/scim/v2/Users', headers: {}, requestContext: { domainName: 'abc.execute-api.eu-west-1.amazonaws.com', path: '/prod/scim/v2/Users' } as never });
    process.env.SCIM_PUBLIC_BASE_URL = 'https://scim.acme.example/v2/';
    try {
      expect(baseUrl(e)).toBe('https://scim.acme.example/v2');
    } finally {
      delete process.env.SCIM_PUBLIC_BASE_URL;
    }
  });

  it.each(['a b', 'evil.example/x', 'user@evil.example', 'host:99999999', '', 'x'.repeat(300)])('tells a malformed authority %j from a valid one', (value) => {
    expect(isValidAuthority(value)).toBe(false);
  });

  it.each(['abc.execute-api.eu-west-1.amazonaws.com', '127.0.0.1:8080', '[::1]:3000', 'localhost'])('accepts the authority %j', (value) => {
    expect(isValidAuthority(value)).toBe(true);
  });

  it('strips the base path and trailing slashes from the SCIM path', () => {
    expect(scimPath(ev({ path: '/scim/v2/Users/' }))).toBe('/Users');
    expect(scimPath(ev({ path: '/scim/v2' }))).toBe('/');
  });

  it('reads query parameters case-insensitively', () => {
    expect(queryParam(ev({ queryStringParameters: { StartIndex: '3' } }), 'startIndex')).toBe('3');
  });

  it.each([
    ['POST', '/Users', 'user.create'],
    ['GET', '/Users', 'user.list'],
    ['GET', '/Users/1', 'user.get'],
    ['PATCH', '/Groups/1', 'group.patch'],
    ['POST', '/Groups/.search', 'group.search'],
    ['POST', '/.search', 'search'],
    ['GET', '/Schemas/urn:x', 'discovery.schemas'],
  ])('names %s %s as %s', (method, path, name) => {
    expect(operationName(method, path)).toBe(name);
  });
});

describe('requestMetrics', () => {
  it.each([
    ['POST', '/Users', 201, ['Requests', 'ProvisioningSuccess']],
    ['PATCH', '/Groups/1', 204, ['Requests', 'ProvisioningSuccess']],
    ['GET', '/Users', 200, ['Requests']],
    ['POST', '/Users/.search', 200, ['Requests']],
    ['POST', '/Users', 409, ['Requests', 'ClientErrors']],
    ['GET', '/Users/1', 500, ['Requests', 'ServerErrors']],
    ['PATCH', '/Users/1', 429, ['Requests', 'ClientErrors', 'Throttles']],
  ])('counts %s %s answered %i as %j', (method, path, status, expected) => {
    expect(requestMetrics(method as string, path as string, status as number)).toEqual(expected);
  });
});

describe('tenantMetrics', () => {
  it.each([
    [200, ['SuccessfulRequests']],
    [201, ['SuccessfulRequests']],
    [204, ['SuccessfulRequests']],
    [304, ['SuccessfulRequests']],
    [400, []],
    [404, []],
    [429, []],
    [503, []],
  ])('counts an answer with status %i as %j: reads and writes alike keep the no-provisioning alarm quiet', (status, expected) => {
    expect(tenantMetrics(status as number)).toEqual(expected);
  });
});
