import { randomBytes, scrypt, scryptSync, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters (RFC 7914): N = 2^14, r = 8, p = 1, a 16-byte random salt and a 32-byte key.
 * One hash costs ~16 MiB (128 * N * r bytes) and ~50 ms of one core; Lambda at 512 MB has ~0.3 of
 * a core, so a single create spends ~170 ms hashing, and a 1,000-user BulkRequest with passwords
 * needs the bulk function's 5 vCPU and as many libuv threads (lambdas/contracts/awsLimits.ts). The parameters are recorded in every hash, so they
 * can be raised later without invalidating stored ones.
 */
export const SCRYPT_PARAMETERS = { N: 16384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

const OPTIONS: ScryptOptions = { N: SCRYPT_PARAMETERS.N, r: SCRYPT_PARAMETERS.r, p: SCRYPT_PARAMETERS.p };

function format(salt: Buffer, hash: Buffer): string {
  const { N, r, p } = SCRYPT_PARAMETERS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Hashes a SCIM `password` (RFC 7643 §4.1.1: write-only, never returned) with scrypt on libuv's
 * thread pool, so the event loop keeps serving other requests (and /Bulk's other operations) while
 * it runs. Format: `scrypt$N$r$p$salt$hash` (base64url). The cleartext is never stored.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT_PARAMETERS.saltBytes);
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, SCRYPT_PARAMETERS.keyBytes, OPTIONS, (e, key) => (e ? reject(e) : resolve(key))),
  );
  return format(salt, hash);
}

/**
 * The synchronous form, for the one case {@link hashPasswordsOf} cannot foresee (a password the
 * request did not carry as a string). It blocks the event loop for one hash; nothing calls it on
 * the normal paths.
 */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(SCRYPT_PARAMETERS.saltBytes);
  return format(salt, scryptSync(password.normalize('NFC'), salt, SCRYPT_PARAMETERS.keyBytes, OPTIONS));
}

/** True for a value {@link hashPassword} produced (an untouched password carried through PATCH/PUT). */
export function isPasswordHash(value: unknown): boolean {
  return typeof value === 'string' && /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(value);
}

/** `password`, or a URN-qualified `…:User:password`, in any case (attribute names are case-insensitive). */
const PASSWORD_KEY = /(^|:)password$/i;

/**
 * Every cleartext a request body could set as the password: a `password` key anywhere (POST, PUT,
 * a no-path PATCH value) and the value of a PATCH operation whose path is `password`. The use
 * cases hash these once before their optimistic loop (which may run again after a conflict) and
 * look the result up inside it.
 */
export function passwordCandidates(body: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const path = Object.entries(o).find(([k]) => k.toLowerCase() === 'path')?.[1];
    const value = Object.entries(o).find(([k]) => k.toLowerCase() === 'value')?.[1];
    if (typeof path === 'string' && PASSWORD_KEY.test(path.trim()) && (typeof value === 'string' || typeof value === 'number')) found.add(String(value));
    for (const [k, child] of Object.entries(o)) {
      if (PASSWORD_KEY.test(k) && (typeof child === 'string' || typeof child === 'number')) found.add(String(child));
      else visit(child);
    }
  };
  visit(body);
  return [...found].filter((p) => !isPasswordHash(p));
}

/** Hashes every password candidate of a request body, off the event loop: cleartext -> hash. */
export async function hashPasswordsOf(body: unknown): Promise<ReadonlyMap<string, string>> {
  const candidates = passwordCandidates(body);
  return new Map(await Promise.all(candidates.map(async (p) => [p, await hashPassword(p)] as const)));
}

/**
 * Replaces a cleartext password in new data by its hash, computed beforehand off the event loop
 * (hashPasswordsOf); an untouched hash (carried through PUT/PATCH) stays as it is.
 */
export function protectPassword(data: Record<string, unknown>, hashes: ReadonlyMap<string, string>, current?: Record<string, unknown>): Record<string, unknown> {
  if (data.password === undefined) return data;
  if (current && data.password === current.password && isPasswordHash(data.password)) return data;
  const cleartext = String(data.password);
  return { ...data, password: hashes.get(cleartext) ?? hashPasswordSync(cleartext) };
}
