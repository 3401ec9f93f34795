import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordsOf, isPasswordHash, passwordCandidates, SCRYPT_PARAMETERS } from '../../lambdas/provisioning/password';

describe('hashPassword', () => {
  it('produces a self-describing scrypt hash with the documented parameters that verifies the password', async () => {
    // Act
    const hash = await hashPassword('correct horse');
    // Assess
    const [scheme, n, r, p, salt, key] = hash.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', SCRYPT_PARAMETERS.N, SCRYPT_PARAMETERS.r, SCRYPT_PARAMETERS.p]);
    const again = scryptSync('correct horse', Buffer.from(salt, 'base64url'), SCRYPT_PARAMETERS.keyBytes, { N: Number(n), r: Number(r), p: Number(p) });
    expect(again.toString('base64url')).toBe(key);
    expect(isPasswordHash(hash)).toBe(true);
  });

  it('runs off the event loop: other callbacks run while a hash is computed', async () => {
    // Prepare: callbacks queued behind the hash call; a synchronous scrypt would run none of them first.
    const order: string[] = [];
    // Act
    const hashing = hashPassword('pw').then(() => order.push('hash'));
    setImmediate(() => order.push('immediate'));
    await hashing;
    // Assess
    expect(order[0]).toBe('immediate');
  });
});

describe('passwordCandidates', () => {
  it.each([
    ['a POST/PUT body', { userName: 'a', password: 'p1' }, ['p1']],
    ['a URN-qualified key in another case', { 'urn:ietf:params:scim:schemas:core:2.0:User:Password': 'p2' }, ['p2']],
    ['an Okta no-path PATCH', { Operations: [{ op: 'replace', value: { password: 'p3' } }] }, ['p3']],
    ['a PATCH with path password', { Operations: [{ op: 'Replace', path: 'Password', value: 'p4' }] }, ['p4']],
    ['a body without a password', { userName: 'a', name: { givenName: 'x' } }, []],
    ['a stored hash carried through PUT', { password: 'scrypt$16384$8$1$abc$def' }, []],
  ])('finds what %s sets as the password', (_name, body, expected) => {
    expect(passwordCandidates(body)).toEqual(expected);
  });

  it('hashes every candidate once', async () => {
    const hashes = await hashPasswordsOf({ Operations: [{ op: 'replace', value: { password: 'same' } }, { op: 'replace', path: 'password', value: 'same' }] });
    expect([...hashes.keys()]).toEqual(['same']);
    expect(isPasswordHash(hashes.get('same'))).toBe(true);
  });
});
