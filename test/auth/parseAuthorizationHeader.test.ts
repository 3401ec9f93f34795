import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from '../../lambdas/auth/parseAuthorizationHeader';

const T = 'scim_acme_' + 'A'.repeat(43);

describe('parseAuthorizationHeader', () => {
  it.each([
    ['Bearer with one space', `Bearer ${T}`, T],
    ['lowercase bearer', `bearer ${T}`, T],
    ['uppercase BEARER', `BEARER ${T}`, T],
    ['several spaces between scheme and token (RFC 7235 1*SP)', `Bearer    ${T}`, T],
    ['surrounding whitespace trimmed', `  Bearer ${T}  \t`, T],
  ])('accepts %s', (_name, value, token) => {
    expect(parseAuthorizationHeader({ headers: { Authorization: value } })).toEqual({ ok: true, token });
  });

  it.each([
    ['empty', '', 'missing'],
    ['only spaces', '   ', 'missing'],
    ['scheme without token', 'Bearer', 'malformed'],
    ['scheme and spaces', 'Bearer   ', 'malformed'],
    ['two tokens', `Bearer ${T} ${T}`, 'malformed'],
    ['tab between scheme and token', `Bearer\t${T}`, 'scheme'],
    ['Basic scheme', 'Basic dXNlcjpwYXNz', 'scheme'],
    ['token without scheme', T, 'scheme'],
    ['comma-separated credentials', `Bearer ${T},Bearer ${T}`, 'malformed'],
    ['non-token68 characters', 'Bearer abc"def', 'malformed'],
  ])('rejects %s', (_name, value, problem) => {
    expect(parseAuthorizationHeader({ headers: { Authorization: value } })).toEqual({ ok: false, problem });
  });

  it('finds the header whatever its name case', () => {
    expect(parseAuthorizationHeader({ headers: { authorization: `Bearer ${T}` } })).toEqual({ ok: true, token: T });
    expect(parseAuthorizationHeader({ headers: { AUTHORIZATION: `Bearer ${T}` } })).toEqual({ ok: true, token: T });
  });

  it('denies a request without the header even if the token is in the query string', () => {
    const event = { headers: { Host: 'x' }, queryStringParameters: { access_token: T } };
    expect(parseAuthorizationHeader(event)).toEqual({ ok: false, problem: 'missing' });
  });

  it('denies two Authorization headers (multiValueHeaders or two spellings)', () => {
    expect(
      parseAuthorizationHeader({ headers: { Authorization: `Bearer ${T}` }, multiValueHeaders: { Authorization: [`Bearer ${T}`, 'Bearer x'] } }),
    ).toEqual({ ok: false, problem: 'duplicate' });
    expect(parseAuthorizationHeader({ headers: { Authorization: `Bearer ${T}`, authorization: `Bearer ${T}` } })).toEqual({ ok: false, problem: 'duplicate' });
  });

  it('never throws and only returns a token that contains no whitespace', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const r = parseAuthorizationHeader({ headers: { Authorization: value } });
        if (r.ok) expect(r.token).not.toMatch(/\s/);
      }),
      { numRuns: 5000 },
    );
  });
});
