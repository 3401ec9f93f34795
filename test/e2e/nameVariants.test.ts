import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Variants a person or a normalising app reads as the base name `<base>`. */
const VARIANTS: [string, (base: string) => string][] = [
  ['leading and trailing spaces', (b) => `  ${b} `],
  ['NFD instead of NFC', (b) => b.normalize('NFD')],
  ['fullwidth letters', (b) => b.replace(/[a-z]/g, (c) => String.fromCodePoint(c.charCodeAt(0) - 0x61 + 0xff41))],
  ['the fi ligature', (b) => b.replace('fi', '\uFB01')],
  ['ss for sharp s', (b) => b.replace('\u00DF', 'ss')],
  ['capital sharp s', (b) => b.replace('\u00DF', '\u1E9E')],
  ['upper case with final sigma', (b) => b.toUpperCase()],
];

/** A base name holding an é (NFC), fi, ß and a final sigma, so every variant has something to change. */
const baseName = () => `jos\u00E9-fi-stra\u00DFe-\u03BF\u03B4\u03BF\u03C2-${randomUUID().slice(0, 8)}`;

describe('unique names compared in their PRECIS-style form over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(VARIANTS)('answers 409 uniqueness to a userName differing by %s', async (_why, variant) => {
    // Prepare
    const base = baseName();
    expect((await server.request('POST', '/Users', { schemas: [USER], userName: base })).status).toBe(201);
    // Act
    const r = await server.request('POST', '/Users', { schemas: [USER], userName: variant(base) });
    // Assess
    expect(r.status).toBe(409);
    expect(r.body.scimType).toBe('uniqueness');
  });

  it.each(VARIANTS)('answers 409 uniqueness to a Group displayName differing by %s', async (_why, variant) => {
    // Prepare
    const base = baseName();
    expect((await server.request('POST', '/Groups', { schemas: [GROUP], displayName: base })).status).toBe(201);
    // Act
    const r = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: variant(base) });
    // Assess
    expect(r.status).toBe(409);
    expect(r.body.scimType).toBe('uniqueness');
  });

  it('finds the user a variant would collide with by filter, so an IdP matches instead of creating', async () => {
    // Prepare
    const base = baseName();
    const created = await server.request('POST', '/Users', { schemas: [USER], userName: base });
    // Act
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${base.toUpperCase().normalize('NFD')}"`)}`);
    // Assess
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources[0].id).toBe(created.body.id);
  });

  it('stores the userName as sent, trimmed', async () => {
    // Act
    const base = `\uFF41lice-${randomUUID().slice(0, 8)}`;
    const r = await server.request('POST', '/Users', { schemas: [USER], userName: ` ${base}\t` });
    // Assess
    expect(r.status).toBe(201);
    expect(r.body.userName).toBe(base);
  });

  it.each([
    ['a zero-width space', 'ali\u200Bce'],
    ['a soft hyphen', 'ali\u00ADce'],
    ['a right-to-left override', '\u202Eecila'],
    ['a NUL', 'ali\u0000ce'],
  ])('refuses a userName with %s with 400 invalidValue and creates nothing', async (_why, name) => {
    // Prepare
    const userName = `${name}-${randomUUID().slice(0, 8)}`;
    // Act
    const r = await server.request('POST', '/Users', { schemas: [USER], userName });
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidValue');
    const plain = [...userName].filter((c) => !['\u200B', '\u00AD', '\u202E', '\u0000'].includes(c)).join('');
    const lookup = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${plain}"`)}`);
    expect(lookup.body.totalResults).toBe(0);
  });

  it('refuses a PATCH renaming a group to a name with a bidi mark with 400 invalidValue', async () => {
    // Prepare
    const g = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: baseName() });
    // Act
    const r = await server.request('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: `Admins\u200E-${randomUUID().slice(0, 8)}` }],
    });
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidValue');
    expect((await server.request('GET', `/Groups/${g.body.id}`)).body.displayName).toBe(g.body.displayName);
  });

  it('frees a name for its variant once the holder is renamed', async () => {
    // Prepare
    const base = baseName();
    const u = await server.request('POST', '/Users', { schemas: [USER], userName: base });
    await server.request('PATCH', `/Users/${u.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: `other-${base}` }] });
    // Act
    const r = await server.request('POST', '/Users', { schemas: [USER], userName: base.toUpperCase() });
    // Assess
    expect(r.status).toBe(201);
  });
});
