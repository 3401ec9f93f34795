import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A stand-in for Microsoft Entra's signing side: an RSA key, its JWKS on 127.0.0.1, and assertions. */
export interface FakeEntra {
  /** The Directory (tenant) ID. */
  readonly tenantId: string;
  /** The service principal's Object ID (`sub`). */
  readonly subject: string;
  /** The Application (client) ID (`aud` of v2 tokens). */
  readonly audience: string;
  readonly kid: string;
  readonly jwksUri: string;
  readonly privateKey: CryptoKey;
  /** The public key as a JWK (what the JWKS serves). */
  readonly publicJwk: JWK;
  /** Number of JWKS requests served. */
  fetches(): number;
  /** A v2-style assertion issued at `now` (ms), overridable claim by claim and header by header. */
  assertion(now: number, options?: { claims?: JWTPayload; header?: Record<string, unknown>; lifetimeSeconds?: number; key?: CryptoKey }): Promise<string>;
  close(): Promise<void>;
}

/** Starts the JWKS server on a free loopback port with a fresh RSA 2048 key. */
export async function startFakeEntra(): Promise<FakeEntra> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `kid-${randomUUID().slice(0, 8)}`;
  // Entra's JWKS entries carry no `alg`: jose must select by kty and kid.
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const tenantId = randomUUID();
  const subject = randomUUID();
  const audience = randomUUID();
  return {
    tenantId,
    subject,
    audience,
    kid,
    jwksUri: `http://127.0.0.1:${port}/${tenantId}/discovery/v2.0/keys`,
    privateKey,
    publicJwk,
    fetches: () => fetches,
    async assertion(now, options = {}) {
      const iat = Math.floor(now / 1000);
      const claims: JWTPayload = {
        iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
        aud: audience,
        sub: subject,
        tid: tenantId,
        oid: subject,
        azp: randomUUID(),
        iat,
        nbf: iat,
        exp: iat + (options.lifetimeSeconds ?? 3600),
        uti: randomUUID(),
        ver: '2.0',
        ...options.claims,
      };
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...options.header }).sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
