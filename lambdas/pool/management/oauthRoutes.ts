import { ClientStoreError, addClientSecret, createClient, listClients, revokeClient, revokeClientSecret } from '../../auth/oauth/clientStore';
import { OAuthConfigSchema, tenantOAuthConfig } from '../../auth/oauth/oauthConfig';
import { ConcurrentModificationError } from '../../auth/errors';
import type { PoolDirectory, PoolTenant } from '../../store/PoolDirectory';
import { poolClientSource } from '../poolClients';
import { json, problem, type Reply } from './replies';
import { isReply, readCredentialInput, readLifetimeSeconds } from './credentialInput';

/** One request to the OAuth routes of a tenant, after the router found the tenant. */
export interface OAuthRouteRequest {
  readonly method: string;
  readonly record: PoolTenant;
  /** What follows `/manage/tenants/{t}/`: `['oauth']`, `['clients', 'cli_...', 'secrets']`... */
  readonly segments: readonly string[];
  readonly body: Record<string, unknown>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The tenant's token endpoint URL (`<stage>/t/<tenant>/oauth2/token`). */
  readonly tokenEndpoint: string;
}

function refusal(e: unknown): Reply {
  if (e instanceof ClientStoreError) return problem(e.kind === 'notFound' ? 404 : e.kind === 'invalid' ? 400 : 409, e.kind === 'notFound' ? 'not_found' : e.kind === 'invalid' ? 'invalid_request' : 'conflict', e.message);
  if (e instanceof ConcurrentModificationError) return problem(409, 'conflict', 'the OAuth clients changed meanwhile; retry');
  throw e;
}

/**
 * The management API's OAuth routes of one pooled tenant (the pooled counterpart of a silo
 * tenant's `oauth` config and `npm run token -- client ...`):
 * - `GET /manage/tenants/{t}/oauth`: its OAuth settings and token endpoint;
 *   `PUT .../oauth` `{ enabled, accessTokenMinutes?, federation? }`: replaces them, validated by the
 *   config files' schema (OAuthConfigSchema); in force within the functions' 60 s cache;
 * - `POST .../clients` `{ label?, scopes?, expiresInSeconds? }`: an OAuth client and its first secret
 *   (shown only in this answer, 201); `GET .../clients`: ids, labels, scopes, states, never secrets;
 * - `POST .../clients/{id}/secrets` `{ expiresInSeconds? }`: another secret (rotation, 201);
 *   `DELETE .../clients/{id}/secrets/{secretId}[?force=true]`: revokes one (the last only with force);
 * - `DELETE .../clients/{id}`: revokes the client and so its access tokens.
 */
export async function oauthRoute(directory: PoolDirectory, request: OAuthRouteRequest, now: () => Date): Promise<Reply> {
  const { method, record, segments, body } = request;
  const tenant = record.tenant;
  const source = poolClientSource(directory, tenant);
  const clock = () => now().getTime();
  const writable = record.status === 'active';
  const refuseInactive = (): Reply =>
    record.status === 'deleting'
      ? problem(409, 'tenant_deleting', 'the tenant is being deleted; continue with DELETE /manage/tenants/{t}')
      : problem(409, 'tenant_disabled', 'enable the tenant before issuing OAuth credentials');

  if (segments.length === 1 && segments[0] === 'oauth') {
    if (method === 'GET') return json(200, { oauth: tenantOAuthConfig(record), tokenEndpoint: request.tokenEndpoint });
    if (method !== 'PUT') return problem(405, 'method_not_allowed', 'GET or PUT');
    if (record.status === 'deleting') return refuseInactive();
    const parsed = OAuthConfigSchema.safeParse(body);
    if (!parsed.success) return problem(400, 'invalid_config', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    const updated = await directory.updateTenant(tenant, { oauth: parsed.data });
    return json(200, { oauth: tenantOAuthConfig(updated), tokenEndpoint: request.tokenEndpoint });
  }

  const [, clientId, sub, secretId] = segments;
  if (segments.length === 1) {
    if (method === 'GET') return json(200, { clients: await listClients(source, { tenant, now: clock }), tokenEndpoint: request.tokenEndpoint });
    if (method !== 'POST') return problem(405, 'method_not_allowed', 'GET or POST');
    if (!writable) return refuseInactive();
    // A client request's null label or scopes means the default; a token request refuses null.
    const input = readCredentialInput({ label: body.label ?? undefined, scopes: body.scopes ?? undefined, expiresInSeconds: body.expiresInSeconds });
    if (isReply(input)) return input;
    const { label, scopes } = input;
    const life = input.expiresInSeconds === undefined ? undefined : input.expiresInSeconds * 1000;
    try {
      const created = await createClient(source, { tenant, label, scopes, secretExpiresInMs: life, now: clock });
      return json(201, {
        clientId: created.client.id,
        clientSecret: created.clientSecret,
        secretId: created.secret.id,
        label: created.client.label,
        scopes: created.client.scopes,
        createdAt: created.client.createdAt,
        ...(created.secret.expiresAt ? { expiresAt: created.secret.expiresAt } : {}),
        tokenEndpoint: request.tokenEndpoint,
      });
    } catch (e) {
      return refusal(e);
    }
  }
  if (segments.length === 2) {
    if (method !== 'DELETE') return problem(405, 'method_not_allowed', 'DELETE revokes a client');
    try {
      const revoked = await revokeClient(source, { tenant, clientId, now: clock });
      return json(200, { clientId: revoked.id, label: revoked.label, revokedAt: revoked.revokedAt });
    } catch (e) {
      return refusal(e);
    }
  }
  if (sub !== 'secrets' || segments.length > 4) return problem(404, 'not_found', 'no such management route');
  if (segments.length === 3) {
    if (method !== 'POST') return problem(405, 'method_not_allowed', 'POST adds a client secret');
    if (!writable) return refuseInactive();
    const seconds = readLifetimeSeconds(body.expiresInSeconds);
    if (isReply(seconds)) return seconds;
    const life = seconds === undefined ? undefined : seconds * 1000;
    try {
      const added = await addClientSecret(source, { tenant, clientId, expiresInMs: life, now: clock });
      return json(201, { clientId: added.client.id, clientSecret: added.clientSecret, secretId: added.secret.id, createdAt: added.secret.createdAt, ...(added.secret.expiresAt ? { expiresAt: added.secret.expiresAt } : {}), tokenEndpoint: request.tokenEndpoint });
    } catch (e) {
      return refusal(e);
    }
  }
  if (method !== 'DELETE') return problem(405, 'method_not_allowed', 'DELETE revokes a client secret');
  try {
    const revoked = await revokeClientSecret(source, { tenant, clientId, secretId, force: request.query.force === 'true', now: clock });
    return json(200, { clientId, secretId: revoked.id, revokedAt: revoked.revokedAt });
  } catch (e) {
    return refusal(e);
  }
}

/** Revokes every active OAuth client of a tenant (disable and delete: its credentials end, its data stays). */
export async function revokeAllClients(directory: PoolDirectory, tenant: string, now: () => Date): Promise<void> {
  const source = poolClientSource(directory, tenant);
  const clock = () => now().getTime();
  for (const c of await listClients(source, { tenant, now: clock })) {
    if (c.status === 'active') await revokeClient(source, { tenant, clientId: c.id, now: clock });
  }
}
