import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createScimReader } from '../../lambdas/reader';
import type { LocalPool } from '../../lambdas/local/startLocalPool';
import { createDynamoClients } from '../../lambdas/store/clients';
import { POOL_KEYS } from '../../lambdas/store/keys';
import type { ChangeEvent } from '../../lambdas/events';
import { startTestPool, startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const HR = 'urn:vendor-corp:params:scim:schemas:extension:hr:2.0:User';

/** A custom extension with a secret the provider keeps but never returns (like the password), and one it returns. */
const hrExtension = (pinReturned: 'never' | 'default') => ({
  customExtensions: [
    {
      resourceType: 'User',
      schema: {
        id: HR,
        name: 'HR',
        attributes: [{ name: 'costCenter' }, { name: 'pinHash', ...(pinReturned === 'never' ? { mutability: 'writeOnly', returned: 'never' } : {}) }],
      },
    },
  ],
});

const newUser = (userName: string) => ({ schemas: [USER, HR], userName, password: 'Secret-123456', [HR]: { costCenter: 'CC-7', pinHash: 'pin-hash-value' } });

/** Everything a consumer could see of a resource, as text: no `returned: never` value may be in it. */
const text = (v: unknown) => JSON.stringify(v);

describe("custom extension attributes declared returned: never stay out of events and the typed reader", () => {
  describe('a per-tenant table', () => {
    let server: TestServer;
    const published: ChangeEvent[] = [];
    beforeAll(async () => {
      server = await startTestServer({ scimConfig: hrExtension('never'), changeFeed: true, onEvents: (e) => published.push(...e) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('publishes user.created and user.updated without the attribute, keeping the returned ones', async () => {
      // Act
      const created = await server.request('POST', '/Users', newUser('pin@silo.example'));
      expect(created.status).toBe(201);
      const patched = await server.request('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${HR}:pinHash`, value: 'pin-hash-rotated' }] });
      expect(patched.status).toBe(200);
      await server.feed!.drain();
      // Assert
      const own = published.filter((e) => e.resourceId === created.body.id);
      expect(own.map((e) => e.type)).toEqual(['user.created', 'user.updated']);
      for (const e of own) {
        expect(text(e)).not.toMatch(/pin-hash|Secret-123456/);
        expect((e.data as { resource: Record<string, Record<string, unknown>> }).resource[HR]).toEqual({ costCenter: 'CC-7' });
      }
    });

    it('reads the user without it through a reader given the tenant configuration', async () => {
      // Arrange
      const created = await server.request('POST', '/Users', newUser('pin2@silo.example'));
      const reader = createScimReader({ doc: server.doc, tableName: server.tableName, scimConfig: hrExtension('never') });
      // Act
      const read = [await reader.getUser(created.body.id), await reader.getUserByUserName('pin2@silo.example'), ...(await reader.listUsers()).items];
      // Assert
      expect(read.length).toBeGreaterThan(2);
      for (const r of read) expect(text(r)).not.toMatch(/pin-hash|\$scrypt|password/i);
      expect(read[0]?.attributes[HR]).toEqual({ costCenter: 'CC-7' });
    });

    it('leaves out an extension the reader was not told about, instead of guessing it is safe', async () => {
      const created = await server.request('POST', '/Users', newUser('pin3@silo.example'));
      const reader = createScimReader({ doc: server.doc, tableName: server.tableName });
      const read = await reader.getUser(created.body.id);
      expect(read?.attributes.userName).toBe('pin3@silo.example');
      expect(read?.attributes).not.toHaveProperty(HR);
    });
  });

  describe('a pooled table, each tenant with its own schemas', () => {
    let pool: LocalPool;
    const published: ChangeEvent[] = [];
    const { doc, client } = createDynamoClients({ endpoint: inject('dynamoEndpoint') });
    beforeAll(async () => {
      pool = await startTestPool('poolnever', {
        onEvents: (e) => published.push(...e),
      });
    });
    afterAll(async () => {
      await pool?.close();
      client.destroy();
    });

    async function post(url: string, token: string, method: string, body: unknown) {
      const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { id: string } };
    }

    it("hides the attribute from the tenant that declares it never returned, not from one whose schema returns it", async () => {
      // Arrange
      const secretive = await pool.management.enableTenant(`nv-${randomUUID().slice(0, 6)}`, { config: hrExtension('never') });
      const open = await pool.management.enableTenant(`op-${randomUUID().slice(0, 6)}`, { config: hrExtension('default') });
      // Act
      const a = await post(`${secretive.scimBaseUrl}/Users`, secretive.token, 'POST', newUser('pin@a.example'));
      const b = await post(`${open.scimBaseUrl}/Users`, open.token, 'POST', newUser('pin@b.example'));
      await pool.feed!.drain();
      const readerA = createScimReader({ doc, tableName: pool.tableName, tenant: secretive.tenant });
      const readerB = createScimReader({ doc, tableName: pool.tableName, tenant: open.tenant });
      // Assert
      const eventA = published.find((e) => e.resourceId === a.body.id)!;
      const eventB = published.find((e) => e.resourceId === b.body.id)!;
      expect(text(eventA)).not.toContain('pin-hash');
      expect(text(eventB)).toContain('pin-hash-value');
      const readA = await readerA.getUser(a.body.id);
      expect(readA?.attributes[HR]).toEqual({ costCenter: 'CC-7' });
      expect(text(readA)).not.toMatch(/pin-hash|password/i);
      expect((await readerB.getUser(b.body.id))?.attributes[HR]).toEqual({ costCenter: 'CC-7', pinHash: 'pin-hash-value' });
      // The tenant's key space only: A's reader does not see B's user.
      expect(await readerA.getUser(b.body.id)).toBeUndefined();
      expect(POOL_KEYS.tenantKeyPrefix(secretive.tenant)).toBe(`${secretive.tenant}#`);
    });
  });
});
