import { ConcurrentModificationError, SecretUnavailableError } from '../auth/errors';
import { createCachedSecretReader } from '../auth/createCachedSecretReader';
import type { SecretSource } from '../auth/SecretSource';
import type { TokenSecret } from '../auth/tokenSecret';
import { ClientsChangedError, type PoolDirectory } from '../store/PoolDirectory';

/**
 * A pooled tenant's OAuth clients as a SecretSource: the versioned document in the table
 * (PoolDirectory.readClients/writeClients) in the very format of a silo tenant's token secret, so
 * the silo's client life cycle (auth/oauth/clientStore.ts), its cached reader and the token
 * endpoint work on it unchanged. Only the hashes of client secrets are ever stored.
 */
export function poolClientSource(directory: Pick<PoolDirectory, 'readClients' | 'writeClients'>, tenant: string): SecretSource {
  return {
    description: `OAuth clients of pooled tenant ${tenant}`,
    async read() {
      try {
        return await directory.readClients(tenant);
      } catch (e) {
        throw new SecretUnavailableError(`the OAuth clients of tenant ${tenant} cannot be read`, { cause: e });
      }
    },
    async write(text, expectedVersionId) {
      try {
        await directory.writeClients(tenant, text, expectedVersionId);
      } catch (e) {
        if (e instanceof ClientsChangedError) throw new ConcurrentModificationError(e.message);
        throw e;
      }
    },
  };
}

/** Reads a pooled tenant's OAuth clients, cached per tenant. */
export type PoolClientReader = (tenant: string) => Promise<TokenSecret>;

/**
 * Per-tenant cached readers of the clients (createCachedSecretReader's semantics: a failure is
 * never answered from a stale copy), at most 1,000 tenants per container: revoking a client or a
 * secret reaches every container within `ttlMs`.
 */
export function createPoolClientReader(options: { directory: Pick<PoolDirectory, 'readClients' | 'writeClients'>; ttlMs: number; now?: () => number }): PoolClientReader {
  const readers = new Map<string, () => Promise<TokenSecret>>();
  return (tenant) => {
    let reader = readers.get(tenant);
    if (!reader) {
      if (readers.size >= 1_000) readers.delete(readers.keys().next().value as string);
      reader = createCachedSecretReader({ source: poolClientSource(options.directory, tenant), tenant, ttlMs: options.ttlMs, now: options.now });
      readers.set(tenant, reader);
    }
    return reader();
  };
}
