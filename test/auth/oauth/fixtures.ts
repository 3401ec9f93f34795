import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { generateClientSecret, hashClientSecret, secretIdFromHash, type OAuthClientRecord } from '../../../lambdas/auth/oauth/oauthClient';
import type { TokenSecret } from '../../../lambdas/auth/tokenSecret';
import { NOW, TENANT } from '../fixtures';

/** The KMS key ARN of the tests. */
export const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let keyPair: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/**
 * A KMS client mocked by aws-sdk-client-mock but backed by a real RSA key generated here: Sign
 * signs with it exactly as KMS RSASSA_PKCS1_V1_5_SHA_256 over a RAW message, GetPublicKey returns
 * its DER SubjectPublicKeyInfo, so signatures verify for real.
 */
export function mockKms(): { kms: ReturnType<typeof mockClient>; client: KMSClient; publicKey: KeyObject } {
  // One key per test file: RSA generation takes a good part of a second on a shared CPU.
  const { privateKey, publicKey } = (keyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const kms = mockClient(KMSClient);
  kms.on(SignCommand).callsFake((input: { Message: Uint8Array; SigningAlgorithm: string; MessageType: string }) => {
    if (input.SigningAlgorithm !== 'RSASSA_PKCS1_V1_5_SHA_256' || input.MessageType !== 'RAW') throw new Error('unexpected KMS Sign input');
    return { Signature: new Uint8Array(sign('sha256', Buffer.from(input.Message), privateKey)), KeyId: KEY_ARN };
  });
  kms.on(GetPublicKeyCommand).resolves({
    KeyId: KEY_ARN,
    PublicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    KeySpec: 'RSA_2048',
    KeyUsage: 'SIGN_VERIFY',
    SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256'],
  });
  return { kms, client: new KMSClient({ region: 'eu-west-1' }), publicKey };
}

/** A client record with one secret per entry of `secrets` (ids derived), and the plain secrets. */
export function clientWithSecrets(
  count = 1,
  overrides: Partial<OAuthClientRecord> = {},
): { record: OAuthClientRecord; secrets: string[] } {
  const secrets = Array.from({ length: count }, () => generateClientSecret(TENANT));
  return {
    secrets,
    record: {
      id: 'cli_0123456789abcdef',
      label: 'test',
      scopes: ['scim:read', 'scim:write'],
      createdAt: new Date(NOW - 86_400_000).toISOString(),
      secrets: secrets.map((s) => {
        const sha256 = hashClientSecret(s);
        return { id: secretIdFromHash(sha256), sha256, createdAt: new Date(NOW - 86_400_000).toISOString() };
      }),
      ...overrides,
    },
  };
}

/** A token secret holding `clients`. */
export function secretWithClients(clients: OAuthClientRecord[]): TokenSecret {
  return { version: 1, tenant: TENANT, tokens: [], clients };
}
