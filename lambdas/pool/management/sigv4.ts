import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials as SigV4 needs them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A request to sign or verify. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** SigV4 for API Gateway (`execute-api`): what the management client signs with and the local server checks. */
function signer(credentials: SigningCredentials, region: string): SignatureV4 {
  // No x-amz-content-sha256 header: API Gateway does not ask for one, and curl --aws-sigv4 sends none.
  return new SignatureV4({ credentials, region, service: 'execute-api', sha256: Sha256, applyChecksum: false });
}

function toHttpRequest(r: SignableRequest) {
  const query: Record<string, string> = {};
  r.url.searchParams.forEach((v, k) => (query[k] = v));
  return {
    method: r.method.toUpperCase(),
    protocol: r.url.protocol,
    hostname: r.url.hostname,
    port: r.url.port ? Number(r.url.port) : undefined,
    path: r.url.pathname,
    query,
    headers: { ...r.headers, host: r.url.host },
    body: r.body,
  };
}

/** Signs a request with SigV4 (the @smithy/signature-v4 implementation the AWS SDK uses); returns the headers to send. */
export async function signRequest(r: SignableRequest, credentials: SigningCredentials, region: string, at?: Date): Promise<Record<string, string>> {
  const signed = await signer(credentials, region).sign(toHttpRequest(r), at ? { signingDate: at } : {});
  return signed.headers as Record<string, string>;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Verifies a SigV4-signed request the way API Gateway's AWS_IAM authorization does, for the local
 * server's management API: the access key must be the expected one, the signature must match a
 * signature computed over the same signed headers, and `x-amz-date` must be within 5 minutes.
 */
export async function verifyRequest(r: SignableRequest, expected: SigningCredentials, region: string, nowMs = Date.now()): Promise<boolean> {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) lower[k.toLowerCase()] = v;
  const m = AUTH.exec(lower.authorization ?? '');
  if (!m || m[1] !== expected.accessKeyId || m[3] !== region) return false;
  const amzDate = lower['x-amz-date'] ?? '';
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dm) return false;
  const at = new Date(Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +dm[4], +dm[5], +dm[6]));
  if (Math.abs(nowMs - at.getTime()) > 5 * 60_000) return false;
  const signedNames = m[4].split(';');
  if (!signedNames.includes('host') || !signedNames.includes('x-amz-date')) return false;
  const headers: Record<string, string> = {};
  for (const name of signedNames) if (name !== 'host' && lower[name] !== undefined) headers[name] = lower[name];
  const again = await signRequest({ ...r, headers }, expected, region, at);
  const a = Buffer.from(again.authorization ?? '');
  const b = Buffer.from(lower.authorization);
  return a.length === b.length && timingSafeEqual(a, b);
}
