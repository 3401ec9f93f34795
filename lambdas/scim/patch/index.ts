/** `applyPatch(resource, body, ctx): PatchResult` — atomic RFC 7644 §3.5.2 PATCH with a group member delta. */
export { applyPatch, type PatchContext, type PatchResult } from './applyPatch';
/** `parsePatchBody(body): PatchOperation[]` — validates a PatchOp body (400 invalidSyntax). */
export { parsePatchBody, MAX_PATCH_OPERATIONS, type PatchOperation } from './parsePatchBody';
/** `MemberDelta`, `MemberRef` — a PATCH's effect on group members; `MemberDeltaBuilder` composes it. */
export { MemberDeltaBuilder, type MemberDelta, type MemberRef } from './memberDelta';
/** `coerceValue(def, value, where)` — shapes a PATCH value for an attribute, its leaves typed as POST types them. */
export { coerceValue, coerceOne } from './coerceValue';
