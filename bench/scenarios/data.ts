/** SCIM payloads as Entra ID and Okta send them, for the benchmark. */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A user as Entra creates it: userName, externalId, name, a work email, active. */
export function userBody(tag: string, i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName: `${tag}.${i}@bench.example.com`,
    externalId: `ext-${tag}-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family-${tag}` },
    displayName: `Given${i} Family-${tag}`,
    emails: [{ value: `${tag}.${i}@mail.bench.example.com`, type: 'work', primary: true }],
    active: true,
    ...extra,
  };
}

/** A PatchOp request. */
export function patchOps(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

/** Member references as Entra batches them. */
export function memberRefs(ids: string[]): { value: string }[] {
  return ids.map((value) => ({ value }));
}
