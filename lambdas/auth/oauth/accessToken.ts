import { randomUUID, type KeyObject } from 'node:crypto';
import { base64url, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { parseScopeList, type Scope } from '../scopes';
import { ACCESS_TOKEN_ALG, ACCESS_TOKEN_MAX_MINUTES, ACCESS_TOKEN_TYPE, CLOCK_SKEW_SECONDS } from './constants';
import { accessTokenAudience, accessTokenIssuer } from './oauthConfig';

/**
 * Signs JWS signing inputs with a key whose private part it never hands out: KMS in AWS
 * (KmsAccessTokenSigner), a key file for `npm start` (LocalKeyFile). RS256 only.
 */
export interface AccessTokenSigner {
  /** The `kid` put in every token header; the verifier insists on the same one. */
  readonly kid: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 signature of `signingInput` (the ASCII `header.payload`). */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** How a client authenticated: a client secret, or an Entra assertion (federation). */
export type ClientAuthMethod = 'client_secret' | 'federation';

/** What a token says about its holder. */
export interface AccessTokenSubject {
  readonly tenant: string;
  /** The OAuth client (`cli_...`) or the federated client's configured id. */
  readonly clientId: string;
  readonly scopes: readonly Scope[];
  readonly method: ClientAuthMethod;
  /** The secret that authenticated the client, so revoking it also ends its tokens. */
  readonly secretId?: string;
}

/** Claims of our access tokens (RFC 9068 §2.2 plus `tenant`, `auth_method`, `secret_id`). */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  client_id: string;
  scope: string;
  tenant: string;
  auth_method: ClientAuthMethod;
  secret_id?: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/** Builds the claims of a token valid from `now` (ms) for `lifetimeSeconds`. */
export function accessTokenClaims(subject: AccessTokenSubject, now: number, lifetimeSeconds: number): AccessTokenClaims {
  const iat = Math.floor(now / 1000);
  return {
    iss: accessTokenIssuer(subject.tenant),
    aud: accessTokenAudience(subject.tenant),
    sub: subject.clientId,
    client_id: subject.clientId,
    scope: subject.scopes.join(' '),
    tenant: subject.tenant,
    auth_method: subject.method,
    ...(subject.secretId ? { secret_id: subject.secretId } : {}),
    iat,
    nbf: iat,
    exp: iat + lifetimeSeconds,
    jti: randomUUID(),
  };
}

/**
 * Serializes and signs a JWS in compact form (RFC 7515 §7.1): jose's base64url encodes the
 * protected header and the claims, the signer (KMS) signs their concatenation, and the signature
 * is appended. jose's SignJWT needs the private key in process, which KMS never releases.
 */
export async function signAccessToken(signer: AccessTokenSigner, claims: AccessTokenClaims): Promise<string> {
  const header = { alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYPE, kid: signer.kid };
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}

/** A verified access token. */
export interface VerifiedAccessToken extends AccessTokenSubject {
  readonly jti: string;
  readonly expiresAt: number;
}

/** The public key (a Node KeyObject or a WebCrypto CryptoKey), loaded once and cached by the caller. */
export type PublicKeyLoader = () => Promise<CryptoKey | KeyObject>;

/** Options of createAccessTokenVerifier. */
export interface AccessTokenVerifierOptions {
  readonly tenant: string;
  /** The signer's kid; tokens naming another key are refused. */
  readonly kid: string;
  /** Loads the public key; called once, again only after a failure. */
  readonly loadPublicKey: PublicKeyLoader;
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
}

/** Verifies an access token; rejects (any error) when it is not one of ours, valid now. */
export type AccessTokenVerifier = (token: string) => Promise<VerifiedAccessToken>;

/**
 * The authorizer's check of our access tokens, with jose: RS256 only (RFC 8725 §3.1: no `none`,
 * no HMAC keyed with our public key), `typ: at+jwt` (RFC 8725 §3.11, so no other JWT of ours
 * passes for an access token), our `kid`, issuer, audience (the tenant), `exp`/`nbf` with
 * CLOCK_SKEW_SECONDS, a lifetime no longer than ours can be, and the scope list. The public key is
 * fetched once per container (no KMS call per request); a failed load is retried next time.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const now = options.now ?? Date.now;
  let key: ReturnType<PublicKeyLoader> | undefined;
  const publicKey = (): ReturnType<PublicKeyLoader> => {
    key ??= options.loadPublicKey().catch((e: unknown) => {
      key = undefined;
      throw e;
    });
    return key;
  };
  return async (token) => {
    const { payload, protectedHeader } = await jwtVerify(token, await publicKey(), {
      algorithms: [ACCESS_TOKEN_ALG],
      typ: ACCESS_TOKEN_TYPE,
      issuer: accessTokenIssuer(options.tenant),
      audience: accessTokenAudience(options.tenant),
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      currentDate: new Date(now()),
    });
    if (protectedHeader.kid !== options.kid) throw new Error('access token signed by another key');
    const claims = payload as Partial<AccessTokenClaims>;
    if (claims.tenant !== options.tenant || claims.client_id !== claims.sub || typeof claims.client_id !== 'string') {
      throw new Error('access token claims inconsistent');
    }
    if (claims.exp! - claims.iat! > ACCESS_TOKEN_MAX_MINUTES * 60) throw new Error('access token lifetime too long');
    if (claims.auth_method !== 'client_secret' && claims.auth_method !== 'federation') throw new Error('unknown auth_method');
    if (typeof claims.scope !== 'string') throw new Error('scope missing');
    const scopes = parseScopeList(claims.scope);
    if (scopes.length === 0 || scopes.length !== claims.scope.split(' ').length) throw new Error('unknown scope');
    return {
      tenant: options.tenant,
      clientId: claims.client_id,
      scopes,
      method: claims.auth_method,
      ...(typeof claims.secret_id === 'string' ? { secretId: claims.secret_id } : {}),
      jti: String(claims.jti),
      expiresAt: claims.exp! * 1000,
    };
  };
}

/** True when a bearer credential has the shape of a compact JWS (three base64url parts); static tokens never do. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}
