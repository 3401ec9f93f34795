import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, isValidTenant, parseToken, tokenId, TOKEN_PATTERN } from '../../lambdas/auth/token';

describe('generateToken', () => {
  it('produces scim_<tenant>_ followed by 43 base64url characters (32 random bytes)', () => {
    const token = generateToken('acme-eu');
    expect(token).toMatch(/^scim_acme-eu_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice('scim_acme-eu_'.length), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken('acme')));
    expect(tokens.size).toBe(1000);
  });

  it('rejects tenant names with underscores, capitals or over 40 characters', () => {
    for (const bad of ['a_b', 'Acme', 'x'.repeat(41), '']) expect(() => generateToken(bad)).toThrow(/invalid tenant/);
  });

  it('round-trips through parseToken for every valid tenant', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,40}$/), (tenant) => {
        expect(isValidTenant(tenant)).toBe(true);
        expect(parseToken(generateToken(tenant))).toEqual({ tenant });
      }),
    );
  });
});

describe('parseToken', () => {
  it('rejects anything but a whole token', () => {
    const good = generateToken('acme');
    for (const bad of [`${good}x`, ` ${good}`, good.slice(0, -1), good.replace('scim_', 'SCIM_'), 'scim__' + 'a'.repeat(43)]) {
      expect(parseToken(bad)).toBeUndefined();
    }
    expect(TOKEN_PATTERN.test(good)).toBe(true);
  });
});

describe('hashToken and tokenId', () => {
  it('hashes with SHA-256 hex and derives tok_ + 12 hex of it', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenId('abc')).toBe('tok_ba7816bf8f01');
  });
});
