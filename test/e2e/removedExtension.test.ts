import { describe, it, expect, afterAll, inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createScimReader } from '../../lambdas/reader';
import type { ChangeEvent } from '../../lambdas/events';
import { startLocalStack, type LocalStack } from '../../lambdas/local/startLocalStack';
import type { LocalPool } from '../../lambdas/local/startLocalPool';
import { createDynamoClients } from '../../lambdas/store/clients';
import { startTestPool } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const HR = 'urn:vendor-corp:params:scim:schemas:extension:hr:2.0:User';

const withHr = { customExtensions: [{ resourceType: 'User', schema: { id: HR, name: 'HR', attributes: [{ name: 'costCenter' }] } }] };
const withoutHr = { customExtensions: [] };

type Reply = { status: number; body: Record<string, unknown> & { id: string; schemas: string[] } };

async function send(base: string, token: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const newUser = (userName: string) => ({ schemas: [USER, HR], userName, [HR]: { costCenter: 'CC-7' } });

describe('a user keeps, unseen, the data of an extension its tenant no longer declares', () => {
  describe('a per-tenant table whose local server restarts without the extension', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-e2e-removed-'));
    const tableName = `e2e-${randomUUID().slice(0, 8)}`;
    const published: ChangeEvent[] = [];
    let stack: LocalStack | undefined;
    const start = async (scimConfig: unknown, token?: string) => {
      await stack?.close();
      stack = await startLocalStack({
        dataDir, port: 0, dynamoEndpoint: inject('dynamoEndpoint'), tableName, scimConfig, token,
        changeFeed: true, onEvents: (e) => published.push(...e),
      });
      return stack;
    };
    afterAll(async () => {
      await stack?.close();
    });

    it('answers PATCH and PUT with 200, returns none of it, and brings it back when the extension is declared again', async () => {
      // Arrange: a user with HR data, then the server restarted without HR.
      const first = await start(withHr);
      const created = await send(first.baseUrl, first.token, 'POST', '/Users', newUser('hr@silo.example'));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const token = first.token;
      const second = await start(withoutHr, token);
      const call = (method: string, path: string, body?: unknown) => send(second.baseUrl, token, method, path, body);

      // Act
      const patched = await call('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] });
      const got = await call('GET', `/Users/${id}`);
      const listed = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "hr@silo.example"')}`);
      const put = await call('PUT', `/Users/${id}`, { schemas: [USER], userName: 'hr@silo.example', displayName: 'Replaced' });
      await second.feed!.drain();
      const read = await createScimReader({ doc: second.doc, tableName, scimConfig: withoutHr }).getUser(id);
      const third = await start(withHr, token);
      const back = await send(third.baseUrl, token, 'GET', `/Users/${id}`);

      // Assert
      expect(patched.status).toBe(200);
      expect(put.status).toBe(200);
      for (const r of [patched.body, got.body, put.body, (listed.body.Resources as Reply['body'][])[0]]) {
        expect(r.schemas).toEqual([USER]);
        expect(JSON.stringify(r)).not.toContain('CC-7');
        expect(r).not.toHaveProperty(HR);
      }
      expect(got.body.displayName).toBe('Renamed');
      const updates = published.filter((e) => e.resourceId === id && e.type === 'user.updated');
      expect(updates).toHaveLength(2);
      for (const e of updates) expect(JSON.stringify(e.data)).not.toMatch(/CC-7|hr:2\.0/);
      expect(read?.attributes).not.toHaveProperty(HR);
      expect(JSON.stringify(read)).not.toContain(HR);
      expect(back.body.schemas).toEqual([USER, HR]);
      expect(back.body[HR]).toEqual({ costCenter: 'CC-7' });
      expect(back.body.displayName).toBe('Replaced');
    });

    it('still refuses a write that names the undeclared extension', async () => {
      const s = await start(withHr);
      const created = await send(s.baseUrl, s.token, 'POST', '/Users', newUser('hr2@silo.example'));
      const again = await start(withoutHr, s.token);
      const patched = await send(again.baseUrl, s.token, 'PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${HR}:costCenter`, value: 'CC-8' }] });
      expect(patched.status).toBe(400);
      expect(patched.body.scimType).toBe('invalidPath');
    });
  });

  describe('a pooled tenant whose run-time configuration drops the extension', () => {
    let pool: LocalPool;
    const { doc, client } = createDynamoClients({ endpoint: inject('dynamoEndpoint') });
    afterAll(async () => {
      await pool?.close();
      client.destroy();
    });

    it('answers PATCH and PUT with 200 and returns none of it until the extension is declared again', async () => {
      // Arrange
      pool = await startTestPool('poolremoved');
      const t = await pool.management.enableTenant(`rm-${randomUUID().slice(0, 6)}`, { config: withHr });
      const call = (method: string, path: string, body?: unknown) => send(t.scimBaseUrl, t.token, method, path, body);
      const created = await call('POST', '/Users', newUser('hr@pool.example'));
      expect(created.status).toBe(201);
      const id = created.body.id;
      await pool.management.updateConfig(t.tenant, withoutHr);

      // Act
      const patched = await call('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] });
      const put = await call('PUT', `/Users/${id}`, { schemas: [USER], userName: 'hr@pool.example', displayName: 'Replaced' });
      const got = await call('GET', `/Users/${id}`);
      const read = await createScimReader({ doc, tableName: pool.tableName, tenant: t.tenant }).getUser(id);
      await pool.management.updateConfig(t.tenant, withHr);
      const back = await call('GET', `/Users/${id}`);

      // Assert
      expect(patched.status).toBe(200);
      expect(put.status).toBe(200);
      for (const r of [patched.body, put.body, got.body]) {
        expect(r.schemas).toEqual([USER]);
        expect(r).not.toHaveProperty(HR);
      }
      expect(JSON.stringify(read)).not.toContain(HR);
      expect(back.body.schemas).toEqual([USER, HR]);
      expect(back.body[HR]).toEqual({ costCenter: 'CC-7' });
    });
  });
});
