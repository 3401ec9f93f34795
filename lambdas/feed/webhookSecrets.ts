import { randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

/**
 * Seals and opens pooled tenants' webhook signing secrets. The sealed form is what the table
 * keeps (lambdas/store/PoolWebhooks.ts); only the management API seals and only the webhook
 * delivery function opens.
 */
export interface SecretSealer {
  /** The sealed form of `secret`, bound to `tenant`: it opens for that tenant only. */
  seal(tenant: string, secret: string): Promise<string>;
  /** The secret, or a thrown error when `sealed` is not `tenant`'s. */
  open(tenant: string, sealed: string): Promise<string>;
}

/** What a sealed secret is bound to, besides the tenant (KMS encryption context). */
const PURPOSE = 'scim-webhook-secret';

/**
 * Seals with the pool's KMS key (Encrypt/Decrypt: a 32-byte secret is far under KMS's 4 KB). The
 * encryption context names the tenant, so a sealed secret copied to another tenant's record does
 * not open (KMS refuses the Decrypt), and CloudTrail shows which tenant's secret was opened.
 */
export class KmsSecretSealer implements SecretSealer {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  private context(tenant: string): Record<string, string> {
    return { purpose: PURPOSE, tenant };
  }

  async seal(tenant: string, secret: string): Promise<string> {
    const res = await this.kms.send(new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(secret, 'utf8'), EncryptionContext: this.context(tenant) }));
    if (!res.CiphertextBlob) throw new Error('KMS answered no ciphertext');
    return Buffer.from(res.CiphertextBlob).toString('base64');
  }

  async open(tenant: string, sealed: string): Promise<string> {
    // The key is named too: Decrypt then refuses a ciphertext of any other key.
    const res = await this.kms.send(new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: Buffer.from(sealed, 'base64'), EncryptionContext: this.context(tenant) }));
    if (!res.Plaintext) throw new Error('KMS answered no plaintext');
    return Buffer.from(res.Plaintext).toString('utf8');
  }
}

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Whether `secret` is a Standard Webhooks secret this service accepts: `whsec_` and 24 to 64 bytes of base64. */
export function isWebhookSecret(secret: unknown): secret is string {
  if (typeof secret !== 'string' || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  return bytes >= 24 && bytes <= 64;
}
