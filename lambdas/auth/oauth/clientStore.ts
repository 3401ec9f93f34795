import { ConcurrentModificationError } from '../errors';
import { DEFAULT_SCOPES, type Scope } from '../scopes';
import type { SecretSource } from '../SecretSource';
import { loadTokenSecret, saveTokenSecret } from '../tokenStore';
import type { TokenSecret } from '../tokenSecret';
import {
  MAX_ACTIVE_SECRETS,
  MAX_CLIENTS,
  MAX_SECRET_RECORDS,
  clientStatus,
  generateClientId,
  generateClientSecret,
  hashClientSecret,
  secretIdFromHash,
  secretStatus,
  type ClientSecretRecord,
  type CredentialStatus,
  type OAuthClientRecord,
} from './oauthClient';

/**
 * The OAuth client life cycle over the tenant's token secret, for the token CLI: create a client
 * (with its first secret), add a secret, revoke a secret, revoke the client, list. Rotation
 * without downtime: add-secret -> paste it into the IdP -> revoke-secret the old one; both work
 * in between. Every change is a read-modify-write guarded by the source's version check.
 */

/** A client-store refusal the CLI prints as is (unknown id, too many secrets, last secret). */
export class ClientStoreError extends Error {
  override name = 'ClientStoreError';
  constructor(
    message: string,
    /** What kind of refusal: the pooled management API answers 400, 404 or 409 by it. */
    readonly kind: 'invalid' | 'notFound' | 'conflict' = 'conflict',
  ) {
    super(message);
  }
}

/** A new secret: `clientSecret` is shown once and never stored. */
export interface CreatedClientSecret {
  readonly client: OAuthClientRecord;
  readonly secret: ClientSecretRecord;
  readonly clientSecret: string;
}

/** Options shared by the commands. */
interface Common {
  readonly tenant: string;
  /** Clock, ms since epoch. @default Date.now */
  readonly now?: () => number;
}

function clientsOf(secret: TokenSecret): OAuthClientRecord[] {
  return secret.clients ?? [];
}

function newSecret(tenant: string, now: number, expiresInMs: number | undefined): { record: ClientSecretRecord; clientSecret: string } {
  if (expiresInMs !== undefined && !(expiresInMs > 0)) throw new ClientStoreError('expiresInMs must be positive', 'invalid');
  const clientSecret = generateClientSecret(tenant);
  const sha256 = hashClientSecret(clientSecret);
  return {
    clientSecret,
    record: {
      id: secretIdFromHash(sha256),
      sha256,
      createdAt: new Date(now).toISOString(),
      ...(expiresInMs !== undefined ? { expiresAt: new Date(now + expiresInMs).toISOString() } : {}),
    },
  };
}

function findClient(secret: TokenSecret, clientId: string): OAuthClientRecord {
  const client = clientsOf(secret).find((c) => c.id === clientId);
  if (!client) throw new ClientStoreError(`no OAuth client with id ${clientId}`, 'notFound');
  return client;
}

function replaceClient(secret: TokenSecret, client: OAuthClientRecord): TokenSecret {
  return { ...secret, clients: clientsOf(secret).map((c) => (c.id === client.id ? client : c)) };
}

/** Options of createClient. */
export interface CreateClientOptions extends Common {
  /** Free text shown by `list`, e.g. "Entra gallery app". */
  readonly label: string;
  /** @default DEFAULT_SCOPES */
  readonly scopes?: readonly Scope[];
  /** Lifetime of the first secret, ms. @default no expiry */
  readonly secretExpiresInMs?: number;
}

/** Creates a client with one secret; returns the secret (the only time it exists). */
export async function createClient(source: SecretSource, options: CreateClientOptions): Promise<CreatedClientSecret> {
  const now = (options.now ?? Date.now)();
  const scopes = [...new Set(options.scopes ?? DEFAULT_SCOPES)];
  if (scopes.length === 0) throw new ClientStoreError('a client needs at least one scope', 'invalid');
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const clients = clientsOf(secret);
  if (clients.filter((c) => clientStatus(c, now) === 'active').length >= MAX_CLIENTS || clients.length >= MAX_CLIENTS) {
    throw new ClientStoreError(`tenant ${options.tenant} already has ${MAX_CLIENTS} clients (revoked ones count); reuse one with add-secret`);
  }
  const { record, clientSecret } = newSecret(options.tenant, now, options.secretExpiresInMs);
  const client: OAuthClientRecord = {
    id: generateClientId(),
    label: options.label,
    scopes,
    createdAt: new Date(now).toISOString(),
    secrets: [record],
  };
  if (clients.some((c) => c.id === client.id)) throw new ConcurrentModificationError('client id collision; run the command again');
  await saveTokenSecret(source, { ...secret, clients: [...clients, client] }, versionId);
  return { client, secret: record, clientSecret };
}

/** Options of addClientSecret. */
export interface AddClientSecretOptions extends Common {
  readonly clientId: string;
  /** @default no expiry */
  readonly expiresInMs?: number;
}

/**
 * Adds a secret to a client while its others stay valid (rotation). Refuses beyond
 * MAX_ACTIVE_SECRETS active ones; drops the oldest revoked or expired records to stay within
 * MAX_SECRET_RECORDS.
 */
export async function addClientSecret(source: SecretSource, options: AddClientSecretOptions): Promise<CreatedClientSecret> {
  const now = (options.now ?? Date.now)();
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const client = findClient(secret, options.clientId);
  if (clientStatus(client, now) === 'revoked') throw new ClientStoreError(`client ${client.id} is revoked; create a new client`);
  const active = client.secrets.filter((s) => secretStatus(s, now) === 'active');
  if (active.length >= MAX_ACTIVE_SECRETS) {
    throw new ClientStoreError(`client ${client.id} already has ${MAX_ACTIVE_SECRETS} active secrets; revoke one first (revoke-secret)`);
  }
  const { record, clientSecret } = newSecret(options.tenant, now, options.expiresInMs);
  let secrets = [...client.secrets, record];
  while (secrets.length > MAX_SECRET_RECORDS) {
    const oldestInactive = secrets.findIndex((s) => secretStatus(s, now) !== 'active');
    secrets = secrets.filter((_, i) => i !== oldestInactive);
  }
  const updated = { ...client, secrets };
  await saveTokenSecret(source, replaceClient(secret, updated), versionId);
  return { client: updated, secret: record, clientSecret };
}

/** Options of revokeClientSecret. */
export interface RevokeClientSecretOptions extends Common {
  readonly clientId: string;
  readonly secretId: string;
  /** Allow revoking the client's last active secret. @default false */
  readonly force?: boolean;
}

/**
 * Revokes one secret of a client: it stops authenticating at once (the token endpoint reads the
 * secret through its cache) and the access tokens issued with it stop working within the
 * authorizer's revocation bound. Refuses the last active secret unless `force`.
 */
export async function revokeClientSecret(source: SecretSource, options: RevokeClientSecretOptions): Promise<ClientSecretRecord> {
  const now = (options.now ?? Date.now)();
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const client = findClient(secret, options.clientId);
  const target = client.secrets.find((s) => s.id === options.secretId);
  if (!target) throw new ClientStoreError(`client ${client.id} has no secret ${options.secretId}`, 'notFound');
  if (secretStatus(target, now) === 'revoked') return target;
  const othersActive = client.secrets.some((s) => s.id !== target.id && secretStatus(s, now) === 'active');
  if (secretStatus(target, now) === 'active' && !othersActive && !options.force) {
    throw new ClientStoreError(`${target.id} is the last active secret of ${client.id}; revoking it cuts the IdP off (use --force to do it anyway)`);
  }
  const revoked: ClientSecretRecord = { ...target, revokedAt: new Date(now).toISOString() };
  const updated = { ...client, secrets: client.secrets.map((s) => (s.id === target.id ? revoked : s)) };
  await saveTokenSecret(source, replaceClient(secret, updated), versionId);
  return revoked;
}

/** Options of revokeClient. */
export interface RevokeClientOptions extends Common {
  readonly clientId: string;
}

/** Revokes a client: no new tokens, and its access tokens stop within the revocation bound. Kept for audit. */
export async function revokeClient(source: SecretSource, options: RevokeClientOptions): Promise<OAuthClientRecord> {
  const now = (options.now ?? Date.now)();
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const client = findClient(secret, options.clientId);
  if (clientStatus(client, now) === 'revoked') return client;
  const revoked = { ...client, revokedAt: new Date(now).toISOString() };
  await saveTokenSecret(source, replaceClient(secret, revoked), versionId);
  return revoked;
}

/** A client as `list` shows it: ids, dates and states, never hashes. */
export interface ClientSummary {
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly revokedAt?: string;
  readonly status: 'active' | 'revoked';
  readonly secrets: ReadonlyArray<{ id: string; createdAt: string; expiresAt?: string; revokedAt?: string; status: CredentialStatus }>;
}

/** The tenant's OAuth clients, oldest first, with their states at `now`. */
export async function listClients(source: SecretSource, options: Common): Promise<ClientSummary[]> {
  const now = (options.now ?? Date.now)();
  const { secret } = await loadTokenSecret(source, options.tenant);
  return clientsOf(secret).map((c) => ({
    id: c.id,
    label: c.label,
    scopes: c.scopes,
    createdAt: c.createdAt,
    ...(c.revokedAt !== undefined ? { revokedAt: c.revokedAt } : {}),
    status: clientStatus(c, now),
    secrets: c.secrets.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
      ...(s.revokedAt !== undefined ? { revokedAt: s.revokedAt } : {}),
      status: secretStatus(s, now),
    })),
  }));
}
