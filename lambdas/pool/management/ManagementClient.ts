import { signRequest, type SigningCredentials } from './sigv4';

/** Options of {@link ManagementClient}. */
export interface ManagementClientOptions {
  /** The pooled API's stage URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  readonly endpoint: string;
  readonly region: string;
  /** Credentials of a principal allowed to invoke the management routes (execute-api:Invoke). */
  readonly credentials: SigningCredentials | (() => Promise<SigningCredentials>);
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A token as the management API shows it (never its hash). */
export interface ManagedToken {
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/** A tenant as the management API shows it. */
export interface ManagedTenant {
  readonly tenant: string;
  readonly status: 'active' | 'disabled' | 'deleting';
  readonly config: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A tenant's OAuth settings (the `oauth` object of a tenant config file, defaults filled in). */
export interface ManagedOAuthSettings {
  readonly enabled: boolean;
  readonly accessTokenMinutes: number;
  readonly federation: readonly Record<string, unknown>[];
}

/** An OAuth client as the management API lists it: ids, states and dates, never a secret or hash. */
export interface ManagedOAuthClient {
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly revokedAt?: string;
  readonly status: 'active' | 'revoked';
  readonly secrets: ReadonlyArray<{ id: string; createdAt: string; expiresAt?: string; revokedAt?: string; status: 'active' | 'expired' | 'revoked' }>;
}

/** A client secret as issued: `clientSecret` exists only in this answer. */
export interface IssuedClientSecret {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly secretId: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  /** The tenant's token endpoint, to give the IdP with the client id and secret. */
  readonly tokenEndpoint: string;
}

/** A failed management call: the HTTP status and the API's `error` code. */
export class ManagementApiError extends Error {
  override readonly name = 'ManagementApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

/** A pooled tenant's webhook as the management API shows it. */
export interface ManagedWebhook {
  readonly tenant: string;
  readonly url: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A typed client for the pooled stack's management API, signing every call with SigV4 (the
 * vendor's backend role). `enableTenant` is the "Enable SCIM" button: it answers the SCIM base URL
 * and the tenant's first token, which is shown only in that answer.
 */
export class ManagementClient {
  constructor(private readonly options: ManagementClientOptions) {}

  private async call<T>(method: string, path: string, body?: unknown, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = new URL(`${this.options.endpoint.replace(/\/+$/, '')}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const creds = typeof this.options.credentials === 'function' ? await this.options.credentials() : this.options.credentials;
    const headers = await signRequest({ method, url, headers: text ? { 'content-type': 'application/json' } : {}, body: text }, creds, this.options.region);
    delete headers.host;
    const res = await (this.options.fetch ?? fetch)(url, { method, headers, body: text });
    const reply = (await res.json().catch(() => ({}))) as { error?: string; detail?: string };
    if (!res.ok) throw new ManagementApiError(res.status, reply.error ?? 'error', reply.detail ?? res.statusText);
    return reply as T;
  }

  /** Enables SCIM for a tenant: its base URL and first token (shown once). */
  enableTenant(tenant: string, opts: { config?: unknown; oauth?: unknown; label?: string; scopes?: string[] } = {}) {
    return this.call<{ tenant: string; status: 'active'; scimBaseUrl: string; token: string; tokenId: string }>('POST', '/manage/tenants', { tenant, ...opts });
  }
  /** The tenant's status and configuration. */
  getTenant(tenant: string) {
    return this.call<ManagedTenant & { scimBaseUrl: string; tokenEndpoint: string }>('GET', `/manage/tenants/${tenant}`);
  }
  /** Replaces the tenant's SCIM configuration (custom extensions, page sizes). */
  updateConfig(tenant: string, config: unknown) {
    return this.call<ManagedTenant>('PATCH', `/manage/tenants/${tenant}`, { config });
  }
  /** Disables the tenant: every token revoked, data kept. */
  disableTenant(tenant: string) {
    return this.call<ManagedTenant>('POST', `/manage/tenants/${tenant}/disable`);
  }
  /** Re-enables a disabled tenant (issue a token after). */
  reenableTenant(tenant: string) {
    return this.call<ManagedTenant>('POST', `/manage/tenants/${tenant}/enable`);
  }
  /** Issues a token (shown once). */
  issueToken(tenant: string, opts: { label?: string; scopes?: string[]; expiresInSeconds?: number } = {}) {
    return this.call<ManagedToken & { token: string }>('POST', `/manage/tenants/${tenant}/tokens`, opts);
  }
  /** Lists the tenant's tokens. */
  async listTokens(tenant: string): Promise<ManagedToken[]> {
    return (await this.call<{ tokens: ManagedToken[] }>('GET', `/manage/tenants/${tenant}/tokens`)).tokens;
  }
  /** Revokes one token. */
  revokeToken(tenant: string, tokenId: string) {
    return this.call<ManagedToken>('DELETE', `/manage/tenants/${tenant}/tokens/${tokenId}`);
  }

  /**
   * Sets the tenant's webhook URL. The first call (or `rotateSecret: true`) answers the generated
   * signing secret (`whsec_…`), shown only in that answer; `secret` sets one of your own.
   */
  setWebhook(tenant: string, webhook: { url: string; secret?: string; rotateSecret?: boolean }) {
    return this.call<ManagedWebhook & { secret?: string }>('PUT', `/manage/tenants/${tenant}/webhook`, webhook);
  }
  /** The tenant's webhook URL and dates (never the secret). */
  getWebhook(tenant: string) {
    return this.call<ManagedWebhook>('GET', `/manage/tenants/${tenant}/webhook`);
  }
  /** Stops webhook delivery for the tenant. */
  removeWebhook(tenant: string) {
    return this.call<{ tenant: string; deleted: true }>('DELETE', `/manage/tenants/${tenant}/webhook`);
  }
  /** The tenant's OAuth settings and token endpoint. */
  getOAuth(tenant: string) {
    return this.call<{ oauth: ManagedOAuthSettings; tokenEndpoint: string }>('GET', `/manage/tenants/${tenant}/oauth`);
  }
  /**
   * Replaces the tenant's OAuth settings (`{ enabled, accessTokenMinutes?, federation? }`, validated
   * like `oauth` of a tenant config file); /ServiceProviderConfig and the token endpoint follow within a minute.
   */
  setOAuth(tenant: string, settings: unknown) {
    return this.call<{ oauth: ManagedOAuthSettings; tokenEndpoint: string }>('PUT', `/manage/tenants/${tenant}/oauth`, settings);
  }
  /** Creates an OAuth client (client credentials) with its first secret, shown once. */
  createClient(tenant: string, opts: { label?: string; scopes?: string[]; expiresInSeconds?: number } = {}) {
    return this.call<IssuedClientSecret & { label: string; scopes: string[] }>('POST', `/manage/tenants/${tenant}/clients`, opts);
  }
  /** The tenant's OAuth clients and their secrets' states. */
  async listClients(tenant: string): Promise<ManagedOAuthClient[]> {
    return (await this.call<{ clients: ManagedOAuthClient[] }>('GET', `/manage/tenants/${tenant}/clients`)).clients;
  }
  /** Adds a secret to a client (rotation: its other secrets stay valid), shown once. */
  addClientSecret(tenant: string, clientId: string, opts: { expiresInSeconds?: number } = {}) {
    return this.call<IssuedClientSecret>('POST', `/manage/tenants/${tenant}/clients/${clientId}/secrets`, opts);
  }
  /** Revokes one secret of a client (its last active one only with `force`). */
  revokeClientSecret(tenant: string, clientId: string, secretId: string, opts: { force?: boolean } = {}) {
    return this.call<{ clientId: string; secretId: string; revokedAt: string }>('DELETE', `/manage/tenants/${tenant}/clients/${clientId}/secrets/${secretId}`, undefined, { force: opts.force ? 'true' : undefined });
  }
  /** Revokes a client: no new access tokens, and those it holds stop within the revocation delay. */
  revokeClient(tenant: string, clientId: string) {
    return this.call<{ clientId: string; label: string; revokedAt: string }>('DELETE', `/manage/tenants/${tenant}/clients/${clientId}`);
  }

  /** One page of the tenant's users or groups in SCIM form (groups carry `memberCount`, not members). */
  exportPage(tenant: string, type: 'Users' | 'Groups', cursor?: string) {
    return this.call<{ resources: Record<string, unknown>[]; nextCursor?: string }>('GET', `/manage/tenants/${tenant}/export/${type}`, undefined, { cursor });
  }
  /** One page of a group's members (ids and types). */
  exportMembers(tenant: string, groupId: string, cursor?: string) {
    return this.call<{ members: { value: string; type: 'User' | 'Group' }[]; nextCursor?: string }>('GET', `/manage/tenants/${tenant}/export/Groups/${encodeURIComponent(groupId)}/members`, undefined, { cursor });
  }
  /**
   * Every resource of the tenant, page after page (users, then groups with their `members`):
   * memory stays bounded by one page and one group's members, so it suits a tenant of any size.
   */
  async *exportTenant(tenant: string): AsyncGenerator<Record<string, unknown>> {
    for (const type of ['Users', 'Groups'] as const) {
      let cursor: string | undefined;
      do {
        const page = await this.exportPage(tenant, type, cursor);
        for (const r of page.resources) {
          if (type === 'Users') {
            yield r;
            continue;
          }
          const members: { value: string; type: string }[] = [];
          let mc: string | undefined;
          do {
            const m = await this.exportMembers(tenant, String(r.id), mc);
            members.push(...m.members);
            mc = m.nextCursor;
          } while (mc);
          yield { ...r, members };
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  /** One step of deleting the tenant and its data: `done` once nothing is left (then the tenant is gone). */
  deleteTenantStep(tenant: string) {
    return this.call<{ tenant: string; status: 'deleting' | 'deleted'; done: boolean; deleted: number; retryAfterSeconds?: number }>('DELETE', `/manage/tenants/${tenant}`);
  }
  /**
   * Deletes the tenant and all its data: calls the delete step until it is done, waiting what each
   * answer asks (Retry-After). Resumable: after a crash, calling it again goes on.
   */
  async deleteTenant(tenant: string, opts: { sleep?: (ms: number) => Promise<void> } = {}): Promise<{ deleted: number }> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let deleted = 0;
    for (;;) {
      const step = await this.deleteTenantStep(tenant);
      deleted += step.deleted;
      if (step.done) return { deleted };
      await sleep((step.retryAfterSeconds ?? 1) * 1000);
    }
  }
}
