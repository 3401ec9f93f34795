import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { AccessTokenSigner } from './accessToken';

/** File name of the local signing key inside the local data dir. */
export const LOCAL_SIGNING_KEY_FILE = 'oauth-signing-key.pem';

/** The local signing key: the `npm start` stand-in for the KMS key. */
export interface LocalSigningKey {
  readonly signer: AccessTokenSigner;
  readonly publicKey: KeyObject;
}

/**
 * Loads `<dataDir>/oauth-signing-key.pem` (PKCS#8, mode 0600), creating an RSA 2048 key on first
 * use, so tokens survive a restart of `npm start`. Signing is node:crypto's RSASSA-PKCS1-v1_5
 * SHA-256, exactly what KMS does with RSASSA_PKCS1_V1_5_SHA_256; the kid is the key's RFC 7638
 * thumbprint.
 */
export async function loadLocalSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const file = join(dataDir, LOCAL_SIGNING_KEY_FILE);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomUUID()}.tmp`;
    writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  }
  const publicKey = createPublicKey(privateKey);
  const kid = (await calculateJwkThumbprint(await exportJWK(publicKey))).slice(0, 16);
  return {
    publicKey,
    signer: { kid, sign: async (input) => new Uint8Array(sign('sha256', input, privateKey)) },
  };
}
