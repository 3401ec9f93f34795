import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { AccessTokenSigner } from './accessToken';

/** The KMS signing algorithm of RS256 (RFC 7518 §3.3). */
export const KMS_SIGNING_ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256';

/**
 * The `kid` of a KMS key: 16 hex digits of the SHA-256 of its ARN. Stable, computable by the
 * token function and the authorizer from the same ARN, and it does not put the account id in
 * every token header.
 */
export function kmsKeyKid(keyArn: string): string {
  return createHash('sha256').update(keyArn).digest('hex').slice(0, 16);
}

/**
 * Signs with an asymmetric KMS key (RSA_2048, SIGN_VERIFY): one kms:Sign per issued token; the
 * private key never leaves KMS. MessageType RAW: KMS hashes the signing input itself (a JWS
 * signing input is far below its 4096-byte RAW limit).
 */
export class KmsAccessTokenSigner implements AccessTokenSigner {
  readonly kid: string;
  constructor(
    private readonly client: KMSClient,
    private readonly keyArn: string,
  ) {
    this.kid = kmsKeyKid(keyArn);
  }

  async sign(signingInput: Uint8Array): Promise<Uint8Array> {
    const { SignCommand } = await import('@aws-sdk/client-kms');
    const out = await this.client.send(
      new SignCommand({ KeyId: this.keyArn, Message: signingInput, MessageType: 'RAW', SigningAlgorithm: KMS_SIGNING_ALGORITHM }),
    );
    if (!out.Signature) throw new Error('KMS Sign returned no signature');
    return out.Signature;
  }
}

/**
 * Loads the KMS key's public half (kms:GetPublicKey, DER SubjectPublicKeyInfo) for the
 * authorizer, which caches it for the container's life: keys of this kind never rotate in place.
 */
export async function loadKmsPublicKey(client: KMSClient, keyArn: string): Promise<KeyObject> {
  // The KMS client is imported on use, here and in sign(), not at the top: the authorizer loads it
  // only once OAuth is used (loading it costs ~10 ms of every cold start of a tenant without OAuth).
  const { GetPublicKeyCommand } = await import('@aws-sdk/client-kms');
  const out = await client.send(new GetPublicKeyCommand({ KeyId: keyArn }));
  if (!out.PublicKey) throw new Error('KMS GetPublicKey returned no key');
  if (out.SigningAlgorithms && !out.SigningAlgorithms.includes(KMS_SIGNING_ALGORITHM)) {
    throw new Error(`KMS key does not support ${KMS_SIGNING_ALGORITHM}`);
  }
  return createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
}
