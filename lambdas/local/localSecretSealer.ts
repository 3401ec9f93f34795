import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SecretSealer } from '../feed/webhookSecrets';

/**
 * The local pool's stand-in for the pool's KMS key (`npm start -- --pool` has no KMS): AES-256-GCM
 * from node:crypto with the tenant as additional authenticated data, so a sealed secret opens for
 * its own tenant only, as KMS's encryption context makes it in AWS. With `keyFile` the key
 * persists next to DynamoDB Local's data, so secrets sealed in an earlier run still open.
 */
export function createLocalSecretSealer(keyFile?: string): SecretSealer {
  let key: Buffer;
  if (keyFile && existsSync(keyFile)) key = readFileSync(keyFile);
  else {
    key = randomBytes(32);
    if (keyFile) writeFileSync(keyFile, key, { mode: 0o600 });
  }
  return {
    async seal(tenant, secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(tenant, 'utf8'));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    async open(tenant, sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(tenant, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
