import { randomUUID } from 'node:crypto';

/** One check's outcome, printed as one line. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was wrong (status, body excerpt); never a token. */
  readonly detail?: string;
}

/** A SCIM answer as the checks read it. */
interface Reply {
  readonly status: number;
  readonly contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the checks read arbitrary SCIM JSON
  readonly body: any;
}

/** What a smoke round needs: the endpoint, a token, and how to send HTTP. */
export interface SmokeTarget {
  /** The SCIM base URL (the stack's ScimBaseUrl output, `.../scim/v2`). */
  readonly baseUrl: string;
  /** A bearer token with scim:read and scim:write. */
  readonly token: string;
  /** The tenant, for a wrong-but-well-formed token. */
  readonly tenant: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/**
 * A short provisioning round against a deployed (or local) endpoint, shaped like Microsoft Entra
 * ID's and Okta's real traffic (docs/idp-quirks.md): discovery, Test Connection, matching, create,
 * PATCH with Entra's capitalised ops and string booleans, Okta's PUT and no-path deactivation,
 * group membership, and the error shapes clients rely on (401, 404, 409 uniqueness, 400
 * invalidFilter). Everything it creates carries a random `smoke-` name and is deleted at the end,
 * whatever failed. Test data only: `.invalid` addresses, no personal data.
 */
export async function runSmokeRound(target: SmokeTarget): Promise<CheckResult[]> {
  const send = target.fetch ?? fetch;
  const base = target.baseUrl.replace(/\/+$/, '');
  const results: CheckResult[] = [];
  const created: { users: string[]; groups: string[] } = { users: [], groups: [] };
  const run = randomUUID().slice(0, 8);

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await send(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${target.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { unparsable: text.slice(0, 200) };
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed };
  };
  const check = async (name: string, f: () => Promise<string | undefined>): Promise<boolean> => {
    try {
      const problem = await f();
      results.push(problem ? { name, ok: false, detail: problem } : { name, ok: true });
      return !problem;
    } catch (e) {
      results.push({ name, ok: false, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      return false;
    }
  };
  const expectStatus = (reply: Reply, ...statuses: number[]): string | undefined =>
    statuses.includes(reply.status) ? undefined : `expected ${statuses.join(' or ')}, got ${reply.status}: ${JSON.stringify(reply.body)?.slice(0, 300)}`;
  const scimError = (reply: Reply, status: number, scimType?: string): string | undefined => {
    const wrong = expectStatus(reply, status);
    if (wrong) return wrong;
    const b = reply.body;
    if (!b?.schemas?.includes(ERROR) || b.status !== String(status)) return `not an RFC 7644 §3.12 error body: ${JSON.stringify(b)?.slice(0, 300)}`;
    if (scimType && b.scimType !== scimType) return `expected scimType ${scimType}, got ${b.scimType}`;
    return undefined;
  };

  try {
    // ---- discovery
    await check('discovery: /ServiceProviderConfig', async () => {
      const r = await call('GET', '/ServiceProviderConfig');
      return expectStatus(r, 200) ?? (r.contentType.startsWith('application/scim+json') ? undefined : `content-type ${r.contentType}`) ?? (r.body?.patch?.supported === true ? undefined : 'patch not advertised');
    });
    await check('discovery: /Schemas lists User, EnterpriseUser and Group', async () => {
      const r = await call('GET', '/Schemas');
      const ids: string[] = (r.body?.Resources ?? []).map((s: { id: string }) => s.id);
      return expectStatus(r, 200) ?? ([USER, ENTERPRISE, GROUP].every((id) => ids.includes(id)) ? undefined : `schemas ${ids.join(', ')}`);
    });
    await check('discovery: /ResourceTypes lists User and Group', async () => {
      const r = await call('GET', '/ResourceTypes');
      const names: string[] = (r.body?.Resources ?? []).map((t: { name: string }) => t.name);
      return expectStatus(r, 200) ?? (['User', 'Group'].every((n) => names.includes(n)) ? undefined : `resource types ${names.join(', ')}`);
    });

    // ---- error shapes
    await check('errors: an unknown token gets a SCIM 401', async () => {
      const res = await send(`${base}/Users`, { headers: { Authorization: `Bearer scim_${target.tenant}_${'A'.repeat(43)}` } });
      const body = await res.json().catch(() => undefined);
      return scimError({ status: res.status, contentType: res.headers.get('content-type') ?? '', body }, 401);
    });
    await check('errors: an unknown id gets a SCIM 404', async () => scimError(await call('GET', `/Users/smoke-missing-${run}`), 404));
    await check('errors: a malformed filter gets 400 invalidFilter', async () => scimError(await call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter'));

    // ---- Entra-shaped round
    const entraName = `smoke-entra-${run}@smoke.invalid`;
    await check('entra: Test Connection (filter on a random userName) is an empty ListResponse', async () => {
      const r = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`);
      return expectStatus(r, 200) ?? (r.body?.schemas?.includes(LIST) && r.body.totalResults === 0 ? undefined : JSON.stringify(r.body).slice(0, 200));
    });
    let entraId: string | undefined;
    await check('entra: create user (enterprise extension, externalId)', async () => {
      const r = await call('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        externalId: `smoke-${run}`,
        userName: entraName,
        active: true,
        displayName: 'Smoke Entra',
        emails: [{ primary: true, type: 'work', value: entraName }],
        name: { givenName: 'Smoke', familyName: 'Entra' },
        [ENTERPRISE]: { department: 'Smoke' },
        meta: { resourceType: 'User' },
        roles: [],
      });
      if (typeof r.body?.id === 'string') created.users.push(r.body.id);
      entraId = r.body?.id;
      return expectStatus(r, 201);
    });
    await check('entra: match by externalId finds the new user at once', async () => {
      const r = await call('GET', `/Users?filter=${encodeURIComponent(`externalId eq "smoke-${run}"`)}`);
      return expectStatus(r, 200) ?? (r.body?.totalResults === 1 && r.body.Resources?.[0]?.id === entraId ? undefined : JSON.stringify(r.body).slice(0, 200));
    });
    await check('entra: PATCH with "Replace" and "False" deactivates', async () => {
      const r = await call('PATCH', `/Users/${entraId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      if (expectStatus(r, 200, 204)) return expectStatus(r, 200, 204);
      const read = await call('GET', `/Users/${entraId}`);
      return read.body?.active === false ? undefined : `active is ${read.body?.active}`;
    });

    let groupId: string | undefined;
    await check('entra: create group and add the user as a member', async () => {
      const g = await call('POST', '/Groups', { schemas: [GROUP], displayName: `smoke-group-${run}`, externalId: `smoke-g-${run}`, members: [] });
      if (typeof g.body?.id === 'string') created.groups.push(g.body.id);
      groupId = g.body?.id;
      const wrong = expectStatus(g, 201);
      if (wrong) return wrong;
      const p = await call('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: entraId }] }] });
      return expectStatus(p, 200, 204);
    });
    await check('entra: membership check and GET with excludedAttributes=members', async () => {
      const f = await call('GET', `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members[value eq "${entraId}"]`)}&excludedAttributes=members`);
      if (expectStatus(f, 200) || f.body?.totalResults !== 1) return `membership filter: ${f.status} ${JSON.stringify(f.body).slice(0, 200)}`;
      const g = await call('GET', `/Groups/${groupId}?excludedAttributes=members`);
      return expectStatus(g, 200) ?? (g.body?.members === undefined ? undefined : 'members returned despite excludedAttributes');
    });
    await check('entra: remove the member with members[value eq ...]', async () => {
      const r = await call('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${entraId}"]` }] });
      return expectStatus(r, 200, 204);
    });

    // ---- Okta-shaped round
    const oktaName = `smoke-okta-${run}@smoke.invalid`;
    await check('okta: import page (startIndex=1&count=2) is a ListResponse', async () => {
      const r = await call('GET', '/Users?startIndex=1&count=2');
      return expectStatus(r, 200) ?? (r.body?.schemas?.includes(LIST) && r.body.startIndex === 1 ? undefined : JSON.stringify(r.body).slice(0, 200));
    });
    let oktaId: string | undefined;
    await check('okta: create user with a password', async () => {
      const r = await call('POST', '/Users', {
        schemas: [USER],
        userName: oktaName,
        name: { givenName: 'Smoke', familyName: 'Okta' },
        emails: [{ primary: true, value: oktaName, type: 'work' }],
        displayName: 'Smoke Okta',
        locale: 'en-US',
        externalId: `smoke-okta-${run}`,
        groups: [],
        password: `Sm0ke!${randomUUID()}`,
        active: true,
      });
      if (typeof r.body?.id === 'string') created.users.push(r.body.id);
      oktaId = r.body?.id;
      return expectStatus(r, 201) ?? (r.body?.password === undefined ? undefined : 'password returned');
    });
    await check('okta: a duplicate create answers 409 uniqueness', async () => scimError(await call('POST', '/Users', { schemas: [USER], userName: oktaName }), 409, 'uniqueness'));
    await check('okta: profile update by PUT', async () => {
      const r = await call('PUT', `/Users/${oktaId}`, { schemas: [USER], userName: oktaName, name: { givenName: 'Smoke', familyName: 'Updated' }, active: true });
      return expectStatus(r, 200) ?? (r.body?.name?.familyName === 'Updated' ? undefined : JSON.stringify(r.body?.name));
    });
    await check('okta: no-path PATCH deactivates', async () => {
      const r = await call('PATCH', `/Users/${oktaId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      return expectStatus(r, 200, 204);
    });
  } finally {
    // ---- clean up whatever was created, even after a failure
    for (const id of created.groups) await check(`cleanup: delete group ${id}`, async () => expectStatus(await call('DELETE', `/Groups/${id}`), 204, 404));
    for (const id of created.users) await check(`cleanup: delete user ${id}`, async () => expectStatus(await call('DELETE', `/Users/${id}`), 204, 404));
    for (const id of created.users) await check(`cleanup: user ${id} is gone`, async () => expectStatus(await call('GET', `/Users/${id}`), 404));
  }
  return results;
}
