import { describe, it, expect } from 'vitest';
import type middy from '@middy/core';
import { parsedBody, scimBodyParser } from '../../lambdas/http/middlewares/scimBodyParser';
import { isScimError } from '../../lambdas/scim/errors';
import type { ScimEvent, ScimResult } from '../../lambdas/http/types';

const BODY = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bjensen' };

async function parse(contentType: string | undefined, body: string | Buffer = JSON.stringify(BODY)): Promise<{ status?: number; parsed?: unknown; detail?: string }> {
  const binary = Buffer.isBuffer(body);
  const event = {
    httpMethod: 'POST',
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    body: binary ? body.toString('base64') : body,
    isBase64Encoded: binary,
  } as unknown as ScimEvent;
  try {
    await scimBodyParser().before!({ event } as unknown as middy.Request<ScimEvent, ScimResult>);
    return { parsed: parsedBody(event) };
  } catch (e) {
    if (!isScimError(e)) throw e;
    return { status: e.status, detail: e.detail };
  }
}

describe('scimBodyParser', () => {
  it.each<[string, string | undefined]>([
    ['no Content-Type (Okta\'s SCIM 2.0 spec test)', undefined],
    ['an empty Content-Type', ''],
    ['application/scim+json (RFC 7644 §3.1)', 'application/scim+json'],
    ['application/scim+json with charset (live Okta)', 'application/scim+json; charset=utf-8'],
    ['application/json with charset (older Okta integrations, Entra)', 'application/json; charset=utf-8'],
    ['application/json with a quoted upper-case charset', 'Application/JSON;Charset="UTF-8"'],
    ['application/json with other parameters', 'application/json; profile=scim; charset=utf-8'],
    ['text/plain (what HTTP libraries put on a string body)', 'text/plain'],
    ['text/plain with charset', 'text/plain;charset=UTF-8'],
    ['another +json type', 'application/vnd.acme+json'],
    ['text/json', 'text/json'],
    ['an unknown charset label (read as UTF-8, RFC 8259 §8.1)', 'application/json; charset=x-unknown'],
  ])('parses a JSON body sent with %s', async (_, contentType) => {
    expect(await parse(contentType)).toEqual({ parsed: BODY });
  });

  it('decodes the body in the charset it declares, and drops a byte order mark', async () => {
    const utf16 = Buffer.from(`\uFEFF${JSON.stringify({ ...BODY, displayName: 'Bärbel' })}`, 'utf16le');
    expect(await parse('application/scim+json; charset=utf-16le', utf16)).toEqual({ parsed: { ...BODY, displayName: 'Bärbel' } });
    expect(await parse('application/json', `\uFEFF${JSON.stringify(BODY)}`)).toEqual({ parsed: BODY });
  });

  it.each([
    'application/xml',
    'text/xml; charset=utf-8',
    'application/soap+xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'image/png',
  ])('answers 415 to %s, a type that cannot carry JSON', async (contentType) => {
    const result = await parse(contentType);
    expect(result.status).toBe(415);
    expect(result.detail).toMatch(/application\/scim\+json/);
  });

  it.each([
    ['text/plain', 'userName=bjensen'],
    [undefined, '<User/>'],
  ])('answers 400 invalidSyntax to a %s body that is not JSON', async (contentType, body) => {
    expect((await parse(contentType, body)).status).toBe(400);
  });
});
