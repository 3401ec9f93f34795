import { ScimError } from '../errors';
import { URN } from '../schema/urns';

/** Upper bound on operations per PATCH request (docs/design.md: request bodies bounded). */
export const MAX_PATCH_OPERATIONS = 1000;

/** One PATCH operation, `op` lowercased (Entra sends `Add`/`Replace`/`Remove`). */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: string;
  readonly value?: unknown;
}

const OPS: ReadonlySet<string> = new Set(['add', 'replace', 'remove']);

/**
 * Validates an RFC 7644 §3.5.2 PatchOp body and returns its operations; 400 `invalidSyntax`
 * saying what is wrong. Keys `schemas`, `Operations`, `op`, `path`, `value` in any case.
 */
export function parsePatchBody(body: unknown): PatchOperation[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw syntax('the body must be a PatchOp object');
  const top = lowerKeys(body as Record<string, unknown>);
  const schemas = top.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    throw syntax(`"schemas" must contain "${URN.patchOp}"`);
  }
  const ops = top.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw syntax('"Operations" must be a non-empty array');
  if (ops.length > MAX_PATCH_OPERATIONS) throw syntax(`at most ${MAX_PATCH_OPERATIONS} operations per request`);
  return ops.map((raw, i) => {
    const operation = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? lowerKeys(raw as Record<string, unknown>) : undefined;
    // Entra (aadOptscim062020 off) capitalises op names: compare case-insensitively.
    const op = typeof operation?.op === 'string' ? operation.op.toLowerCase() : undefined;
    const path = operation?.path;
    if (op === undefined || !OPS.has(op) || (path != null && typeof path !== 'string')) {
      throw syntax(`Operations[${i}] needs "op" add, replace or remove, and a string "path" if any`);
    }
    const value = operation?.value;
    return { op: op as PatchOperation['op'], ...(path != null ? { path } : {}), ...(value !== undefined ? { value } : {}) };
  });
}

function lowerKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const lower = k.toLowerCase();
    // Object.fromEntries semantics: a `__proto__` key is data, and a later key of the same name wins.
    if (lower === '__proto__') Object.defineProperty(out, lower, { value: obj[k], enumerable: true, writable: true, configurable: true });
    else out[lower] = obj[k];
  }
  return out;
}

function syntax(detail: string): ScimError {
  return ScimError.badRequest('invalidSyntax', `Invalid PATCH request: ${detail}`);
}
