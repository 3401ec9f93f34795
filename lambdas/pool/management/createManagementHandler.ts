import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseTenantScimConfig } from '../../scim/config';
import { generateToken, hashToken, isValidTenant, tokenIdFromHash } from '../../auth/token';
import { PoolDirectory, TenantExistsError, TenantNotFoundError, type PoolTenant, type PoolTokenRecord } from '../../store/PoolDirectory';
import type { ScimStore } from '../../store';
import { InvalidCursorError, NotFoundError } from '../../store/errors';
import { renderResource } from '../../scim/render/renderResource';
import { POOL_DATA_STEP, POOL_DELETE_QUIET_SECONDS } from '../../contracts/poolLimits';
import { poolRoutePrefix, poolTokenRoute } from '../../auth/createPoolAuthorizer';
import { OAuthConfigSchema } from '../../auth/oauth/oauthConfig';
import { oauthRoute, revokeAllClients } from './oauthRoutes';
import { NO_USAGE_KEYS, UsageKeyQuotaError, UsageKeyThrottledError, type UsageKeys } from './usageKeys';
import { webhookRoute, type WebhookRouteDeps } from './webhookRoutes';
import { json, problem, type Reply } from './replies';
import { isReply, readCredentialInput, type CredentialInput } from './credentialInput';

/** Options of {@link createManagementHandler}. */
export interface ManagementHandlerOptions {
  readonly directory: PoolDirectory;
  /** The public origin of the pooled API's stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  readonly publicOrigin: (event: APIGatewayProxyEvent) => string;
  /**
   * The per-tenant API keys of the stack's usage plan (made on enable, removed with the tenant).
   * @default NO_USAGE_KEYS (the local server throttles per tenant itself)
   */
  readonly usageKeys?: UsageKeys;
  /**
   * The store of one tenant's key space, for export and deletion.
   * @default - export and delete answer 500 (a handler built without the table)
   */
  readonly storeFor?: (tenant: string) => ScimStore;
  /**
   * How long after a delete's first call the tenant's record may go (no request authorized before
   * it can still write). @default POOL_DELETE_QUIET_SECONDS
   */
  readonly deleteQuietMs?: number;
  /** How long one delete call works before answering 202. @default POOL_DATA_STEP.deleteBudgetMs */
  readonly deleteBudgetMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * The tenants' webhook records and the sealer of their signing secrets (the pool's KMS key).
   * @default - `/manage/tenants/{t}/webhook` answers 501 (a pool without webhooks)
   */
  readonly webhooks?: Omit<WebhookRouteDeps, 'now'>;
}


/** A token record as the management API shows it: never the token, never its hash. */
function publicToken(r: PoolTokenRecord) {
  return { id: r.id, label: r.label, scopes: r.scopes, createdAt: r.createdAt, expiresAt: r.expiresAt, revokedAt: r.revokedAt };
}

/**
 * The pooled stack's management API for the vendor's backend (never reachable with SCIM
 * credentials: API Gateway checks AWS_IAM / SigV4 before this runs, the local server verifies
 * SigV4 itself). Routes, JSON in and out:
 * - `POST /manage/tenants` `{ tenant, config?, oauth?, label?, scopes? }`: enables a tenant; answers its SCIM
 *   base URL and a first token, shown only in this answer (201; 409 if the tenant exists);
 * - `GET /manage/tenants/{t}`: status and configuration;
 * - `PATCH /manage/tenants/{t}` `{ config }`: replaces its SCIM configuration (validated as a
 *   tenant config file is; functions pick it up within their cache TTL);
 * - `POST /manage/tenants/{t}/disable`: revokes every token and refuses its credentials, data kept;
 *   `POST /manage/tenants/{t}/enable` re-enables (issue a new token after);
 * - `POST /manage/tenants/{t}/tokens` `{ label?, scopes?, expiresInSeconds? }`: a new token (201);
 *   `GET .../tokens`: ids, labels, scopes, dates; `DELETE .../tokens/{id}`: revokes one;
 * - `GET /manage/tenants/{t}/export/Users|Groups[?cursor=]`, `GET .../export/Groups/{id}/members`:
 *   the tenant's data in pages;
 * - `PUT|GET|DELETE /manage/tenants/{t}/webhook`: the tenant's webhook URL and signing secret
 *   (webhookRoutes.ts);
 * - `DELETE /manage/tenants/{t}`: deletes the tenant and all its data, in bounded steps (202 until done);
 * - `.../oauth` and `.../clients...`: OAuth settings and clients (oauthRoutes.ts).
 * Disabling or deleting a tenant revokes its OAuth clients too.
 */
export function createManagementHandler(options: ManagementHandlerOptions) {
  const { directory } = options;
  const usageKeys = options.usageKeys ?? NO_USAGE_KEYS;
  const deleteQuietMs = options.deleteQuietMs ?? POOL_DELETE_QUIET_SECONDS * 1000;
  const deleteBudgetMs = options.deleteBudgetMs ?? POOL_DATA_STEP.deleteBudgetMs;
  const now = options.now ?? (() => new Date());

  async function issue(tenant: string, input: CredentialInput): Promise<{ token: string; record: PoolTokenRecord } | Reply> {
    const checked = readCredentialInput(input);
    if (isReply(checked)) return checked;
    const { label, scopes, expiresInSeconds: life } = checked;
    const token = generateToken(tenant);
    const sha256 = hashToken(token);
    const at = now();
    const record: PoolTokenRecord = {
      tenant,
      id: tokenIdFromHash(sha256),
      sha256,
      label,
      scopes: [...new Set(scopes)],
      createdAt: at.toISOString(),
      ...(life !== undefined ? { expiresAt: new Date(at.getTime() + life * 1000).toISOString() } : {}),
    };
    await directory.putToken(record);
    return { token, record };
  }

  function storeOf(tenant: string): ScimStore {
    if (!options.storeFor) throw new Error('management: no store for tenant data (storeFor)');
    return options.storeFor(tenant);
  }

  /**
   * `GET .../export/Users|Groups[?cursor=]`: one page of the tenant's resources in SCIM form (groups
   * without members), and `nextCursor` while more remain; `GET .../export/Groups/{id}/members`: one
   * page of a group's member ids. Bounded pages, so a tenant of any size exports by repeating.
   */
  async function exportData(event: APIGatewayProxyEvent, tenant: string, type: 'User' | 'Group', groupId: string | undefined): Promise<Reply> {
    if (event.httpMethod.toUpperCase() !== 'GET') return problem(405, 'method_not_allowed', 'GET exports');
    if (!isValidTenant(tenant) || !(await directory.getTenant(tenant))) return problem(404, 'not_found', 'no such tenant');
    const cursor = event.queryStringParameters?.cursor ?? undefined;
    const store = storeOf(tenant);
    try {
      if (groupId !== undefined) {
        const page = await store.listMembers(groupId, { limit: POOL_DATA_STEP.exportPageSize * 5, cursor });
        return json(200, { members: page.members.map((m) => ({ value: m.value, type: m.type })), ...(page.cursor ? { nextCursor: page.cursor } : {}) });
      }
      const page = await store.exportPage(type, { cursor, limit: POOL_DATA_STEP.exportPageSize });
      const base = `${options.publicOrigin(event)}/${poolRoutePrefix(tenant)}`;
      return json(200, {
        resources: page.resources.map((r) => ({ ...renderResource(r, base), ...(r.resourceType === 'Group' ? { memberCount: r.memberCount ?? 0 } : {}) })),
        ...(page.cursor ? { nextCursor: page.cursor } : {}),
      });
    } catch (e) {
      if (e instanceof InvalidCursorError) return problem(400, 'invalid_cursor', 'the cursor is not one this export answered');
      if (e instanceof NotFoundError) return problem(404, 'not_found', 'no such group');
      throw e;
    }
  }

  /**
   * `DELETE /manage/tenants/{t}`: the first call disables the tenant for good (status `deleting`,
   * every token revoked); each call then deletes for a bounded time and answers 202 with
   * `Retry-After` until nothing is left, then removes the tenant's record, tokens and usage key
   * and answers 200. The record goes only once the quiet period has passed since the first call,
   * so no request authorized before it (API Gateway's and the functions' caches) can write after
   * the last sweep.
   */
  async function deleteTenant(record: PoolTenant): Promise<Reply> {
    const tenant = record.tenant;
    let since = Date.parse(record.updatedAt);
    if (record.status !== 'deleting') {
      for (const t of await directory.listTokens(tenant)) if (!t.revokedAt) await directory.revokeToken(tenant, t.id);
      await revokeAllClients(directory, tenant, now);
      since = Date.parse((await directory.updateTenant(tenant, { status: 'deleting' })).updatedAt);
    }
    const progress = await storeOf(tenant).purgeStep({ deadline: now().getTime() + deleteBudgetMs, auditSince: new Date(record.createdAt) });
    const quietLeft = since + deleteQuietMs - now().getTime();
    if (!progress.done || quietLeft > 0) {
      const retryAfter = Math.max(1, Math.ceil((progress.done ? quietLeft : 1000) / 1000));
      return { ...json(202, { tenant, status: 'deleting', done: false, deleted: progress.deleted, retryAfterSeconds: retryAfter }), headers: { ...json(202, {}).headers, 'Retry-After': String(retryAfter) } };
    }
    await usageKeys.remove(tenant);
    await options.webhooks?.webhooks.remove(tenant);
    await directory.removeTenant(tenant);
    return json(200, { tenant, status: 'deleted', done: true, deleted: progress.deleted });
  }

  async function route(event: APIGatewayProxyEvent): Promise<Reply> {
    const path = (event.path ?? '').replace(/\/+$/, '');
    const exportRoute = /^(?:.*)?\/manage\/tenants\/([^/]+)\/export\/(Users|Groups)(?:\/([^/]+)\/(members))?$/.exec(path);
    if (exportRoute) return exportData(event, exportRoute[1], exportRoute[2] === 'Users' ? 'User' : 'Group', exportRoute[3]);
    const oauthPath = /^(?:.*)?\/manage\/tenants\/([^/]+)\/((?:oauth|clients)(?:\/[^/]+)*)$/.exec(path);
    const m = oauthPath ? undefined : /^(?:.*)?\/manage\/tenants(?:\/([^/]+)(?:\/(disable|enable|tokens|webhook)(?:\/([^/]+))?)?)?$/.exec(path);
    if (!m && !oauthPath) return problem(404, 'not_found', 'no such management route');
    const [, tenant, sub, tokenId] = oauthPath ? [undefined, oauthPath[1], undefined, undefined] : m!;
    const method = event.httpMethod.toUpperCase();
    let body: Record<string, unknown> = {};
    if (event.body) {
      try {
        const parsed: unknown = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return problem(400, 'invalid_request', 'the body must be a JSON object');
        body = parsed as Record<string, unknown>;
      } catch {
        return problem(400, 'invalid_request', 'the body is not valid JSON');
      }
    }

    if (!tenant) {
      if (method !== 'POST') return problem(405, 'method_not_allowed', 'POST /manage/tenants enables a tenant');
      const name = body.tenant;
      if (typeof name !== 'string' || !isValidTenant(name)) return problem(400, 'invalid_request', 'tenant must be 1-40 lowercase letters, digits or dashes');
      const config = body.config ?? {};
      try {
        parseTenantScimConfig(config);
      } catch (e) {
        return problem(400, 'invalid_config', (e as Error).message);
      }
      const oauth = body.oauth === undefined ? undefined : OAuthConfigSchema.safeParse(body.oauth);
      if (oauth && !oauth.success) return problem(400, 'invalid_config', `oauth: ${oauth.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      try {
        await directory.createTenant(name, config, oauth?.data);
      } catch (e) {
        if (e instanceof TenantExistsError) return problem(409, 'tenant_exists', `tenant ${name} exists; use its token routes`);
        throw e;
      }
      // Before the token: the tenant's first request needs its usage key in the plan. If that fails
      // the tenant record goes again (no token exists yet), so the vendor's retry of POST starts over.
      try {
        await usageKeys.ensure(name);
      } catch (e) {
        if (!(e instanceof UsageKeyQuotaError || e instanceof UsageKeyThrottledError)) throw e;
        await directory.removeTenant(name);
        if (e instanceof UsageKeyThrottledError) return { ...problem(503, 'key_rate_exceeded', `${e.message}; retry`), headers: { ...problem(503, '', '').headers, 'Retry-After': '1' } };
        return problem(
          409,
          'pool_full',
          `${e.message}: tenant ${name} was not enabled. Enable it on a pool in another Region or account, or free keys of this account (docs/pool.md, "The API key quota").`,
        );
      }
      const issued = await issue(name, body);
      if ('statusCode' in issued) return issued;
      return json(201, {
        tenant: name,
        status: 'active',
        scimBaseUrl: `${options.publicOrigin(event)}/${poolRoutePrefix(name)}`,
        token: issued.token,
        tokenId: issued.record.id,
      });
    }

    if (!isValidTenant(tenant)) return problem(404, 'not_found', 'no such tenant');
    const record = await directory.getTenant(tenant);
    if (!record) return problem(404, 'not_found', 'no such tenant');
    if (oauthPath) {
      const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
      const tokenEndpoint = `${options.publicOrigin(event)}/${poolTokenRoute(tenant)}`;
      return oauthRoute(directory, { method, record, segments: oauthPath[2].split('/'), body, query, tokenEndpoint }, now);
    }

    if (!sub) {
      if (method === 'GET') return json(200, { ...record, scimBaseUrl: `${options.publicOrigin(event)}/${poolRoutePrefix(tenant)}`, tokenEndpoint: `${options.publicOrigin(event)}/${poolTokenRoute(tenant)}` });
      if (method === 'DELETE') return deleteTenant(record);
      if (record.status === 'deleting') return problem(409, 'tenant_deleting', 'the tenant is being deleted; continue with DELETE /manage/tenants/{t}');
      if (method === 'PATCH') {
        if (body.config === undefined) return problem(400, 'invalid_request', 'PATCH takes { "config": {...} }');
        try {
          parseTenantScimConfig(body.config);
        } catch (e) {
          return problem(400, 'invalid_config', (e as Error).message);
        }
        return json(200, await directory.updateTenant(tenant, { config: body.config }));
      }
      return problem(405, 'method_not_allowed', 'GET, PATCH or DELETE');
    }
    if (sub === 'disable' || sub === 'enable') {
      if (method !== 'POST' || tokenId) return problem(405, 'method_not_allowed', `POST /manage/tenants/{t}/${sub}`);
      if (record.status === 'deleting') return problem(409, 'tenant_deleting', 'the tenant is being deleted; continue with DELETE /manage/tenants/{t}');
      if (sub === 'disable') {
        for (const t of await directory.listTokens(tenant)) if (!t.revokedAt) await directory.revokeToken(tenant, t.id);
        await revokeAllClients(directory, tenant, now);
      } else {
        try {
          await usageKeys.ensure(tenant);
        } catch (e) {
          if (e instanceof UsageKeyQuotaError) return problem(409, 'pool_full', `${e.message}: tenant ${tenant} stays ${record.status} (docs/pool.md, "The API key quota").`);
          if (e instanceof UsageKeyThrottledError) return { ...problem(503, 'key_rate_exceeded', `${e.message}; retry`), headers: { ...problem(503, '', '').headers, 'Retry-After': '1' } };
          throw e;
        }
      }
      return json(200, await directory.updateTenant(tenant, { status: sub === 'disable' ? 'disabled' : 'active' }));
    }
    if (sub === 'webhook') {
      if (tokenId) return problem(404, 'not_found', 'no such management route');
      if (!options.webhooks) return problem(501, 'not_implemented', 'this pool delivers no webhooks');
      return webhookRoute(method, record, body, { ...options.webhooks, now });
    }
    // tokens
    if (record.status === 'deleting' && method !== 'GET') return problem(409, 'tenant_deleting', 'the tenant is being deleted; continue with DELETE /manage/tenants/{t}');
    if (!tokenId) {
      if (method === 'GET') return json(200, { tokens: (await directory.listTokens(tenant)).map(publicToken) });
      if (method === 'POST') {
        if (record.status !== 'active') return problem(409, 'tenant_disabled', 'enable the tenant before issuing tokens');
        const issued = await issue(tenant, body);
        if ('statusCode' in issued) return issued;
        return json(201, { token: issued.token, ...publicToken(issued.record) });
      }
      return problem(405, 'method_not_allowed', 'GET or POST');
    }
    if (method !== 'DELETE') return problem(405, 'method_not_allowed', 'DELETE revokes a token');
    try {
      return json(200, publicToken(await directory.revokeToken(tenant, tokenId)));
    } catch (e) {
      if (e instanceof TenantNotFoundError) return problem(404, 'not_found', 'no such token');
      throw e;
    }
  }

  return async (event: APIGatewayProxyEvent): Promise<Reply> => {
    try {
      return await route(event);
    } catch {
      // Never a stack trace: the vendor's backend retries a 500.
      return problem(500, 'server_error', 'the management API failed; retry');
    }
  };
}
