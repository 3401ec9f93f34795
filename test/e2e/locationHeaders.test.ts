import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** One raw HTTP/1.1 request with headers fetch() would not let us set (Host). */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const url = new URL(`${server.baseUrl}${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers: {
          Authorization: `Bearer ${server.token}`,
          ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('meta.location and Location over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('builds Location, meta.location and $ref from the API address, whatever Host and X-Forwarded-Proto say', async () => {
    // Prepare
    const spoof = { Host: 'evil.example', 'X-Forwarded-Proto': 'gopher', 'X-Forwarded-Host': 'evil.example' };
    // Act
    const created = await raw(server, 'POST', '/Users', spoof, { schemas: [USER], userName: `loc-${randomUUID()}` });
    const list = await raw(server, 'GET', '/ResourceTypes', spoof);
    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${server.baseUrl}/Users/${created.body.id}`);
    expect(created.body.meta.location).toBe(created.headers.location);
    expect(JSON.stringify(list.body)).not.toContain('evil.example');
    expect(JSON.stringify(list.body)).toContain(server.baseUrl);
  });

  it.each(['evil.example/x', 'a b', 'user@evil.example', 'x:notaport'])('answers 400 to the malformed Host %j', async (host) => {
    // Act
    const r = await raw(server, 'GET', '/Users', { Host: host });
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
