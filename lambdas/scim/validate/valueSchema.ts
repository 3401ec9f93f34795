// zod/mini: tree-shakes to the checks used (no locale data): part of the 150 KB bundle budget.
import * as z from 'zod/mini';
import { ScimError } from '../errors';
import type { AttributeDefinition } from '../schema';
import { VALIDATION_LIMITS, type ValidationLimits } from './validationLimits';

const encoder = new TextEncoder();

/** RFC 4648 §4 base64 (and the URL-safe alphabet of §5, which some clients use), padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** How a simple (non-complex) attribute value is bounded. */
export interface ValueSchemaOptions {
  /** The value becomes part of a DynamoDB key: bound it in bytes. */
  readonly keyLike: boolean;
  /** Reject the empty string (required attributes such as `userName`). */
  readonly nonEmpty: boolean;
}

/** Bounds for a value not bound for a key nor required to be non-empty (a PATCH operand: the result is validated whole). */
const PLAIN: ValueSchemaOptions = { keyLike: false, nonEmpty: false };

const cache = new Map<string, z.ZodMiniType<unknown>>();

/**
 * The zod schema of one value of a simple attribute (RFC 7643 §2.3 data types), with the coercions
 * real clients need. Complex and multi-valued structure is walked by {@link validateResource};
 * this checks the leaves.
 */
export function valueSchema(def: AttributeDefinition, limits: ValidationLimits, options: ValueSchemaOptions): z.ZodMiniType<unknown> {
  const key = `${def.type}|${options.keyLike}|${options.nonEmpty}|${limits.maxStringLength}|${limits.maxKeyBytes}|${limits.maxBinaryLength}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = build(def, limits, options);
    cache.set(key, schema);
  }
  return schema;
}

/**
 * One simple value typed and bounded by its attribute's {@link valueSchema}: the coerced value
 * (Entra's "True", a number for a string), or the reason it is not one (`must be a boolean`).
 */
export function parseValue(def: AttributeDefinition, raw: unknown, limits: ValidationLimits = VALIDATION_LIMITS, options: ValueSchemaOptions = PLAIN): { value: unknown } | { problem: string } {
  // The common case without zod: a string that is plainly within bounds (or a boolean) is valid
  // as it is; anything else (coercions, errors) goes through the schema.
  if (typeof raw === 'string' && (def.type === 'string' || def.type === 'reference')) {
    if (raw.length <= limits.maxStringLength && (raw !== '' || !options.nonEmpty) && (!options.keyLike || raw.length * 3 <= limits.maxKeyBytes)) return { value: raw };
  } else if (typeof raw === 'boolean' && def.type === 'boolean') {
    return { value: raw };
  }
  const result = valueSchema(def, limits, options).safeParse(raw);
  return result.success ? { value: result.data } : { problem: result.error.issues[0]?.message ?? 'is invalid' };
}

/**
 * {@link parseValue} for a value that must be one: the one value-typing path of POST, PUT and
 * PATCH. Throws 400 `invalidValue` naming the attribute (`Attribute 'emails[0].value' must be a string`).
 */
export function typedValue(def: AttributeDefinition, raw: unknown, path: string, limits: ValidationLimits = VALIDATION_LIMITS, options: ValueSchemaOptions = PLAIN): unknown {
  const parsed = parseValue(def, raw, limits, options);
  if ('problem' in parsed) throw new ScimError(400, 'invalidValue', `Attribute '${path}' ${parsed.problem}`);
  return parsed.value;
}

function build(def: AttributeDefinition, limits: ValidationLimits, options: ValueSchemaOptions): z.ZodMiniType<unknown> {
  switch (def.type) {
    case 'boolean':
      return z.pipe(
        // Entra ID sends "True"/"False" (older jobs without the aadOptscim062020 flag, and for
        // `active` on deactivation), sometimes padded; others send "true"/"false". Coerced for
        // boolean attributes only.
        z.transform((v: unknown) => (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v) ? v.trim().toLowerCase() === 'true' : v)),
        z.boolean({ error: 'must be a boolean' }),
      );
    case 'integer':
      return z
        .number({ error: 'must be an integer' })
        .check(z.refine(Number.isInteger, { error: 'must be an integer' }), z.refine((n) => !Number.isInteger(n) || Number.isSafeInteger(n), { error: 'is out of range' }));
    case 'decimal':
      return z.number({ error: 'must be a number' });
    case 'dateTime':
      // RFC 7643 §2.3.5: xsd:dateTime; the time zone is optional there.
      return z.iso.datetime({ offset: true, local: true, error: 'must be an xsd:dateTime such as 2026-01-31T12:00:00Z' });
    case 'binary':
      return z
        .string({ error: 'must be a base64 string' })
        .check(z.maxLength(limits.maxBinaryLength, { error: `is longer than ${limits.maxBinaryLength} characters` }), z.regex(BASE64, { error: 'must be a base64 string' }));
    case 'reference':
    case 'string':
    default:
      return stringSchema(def.type === 'reference' ? 'a URI string' : 'a string', limits, options);
  }
}

function stringSchema(what: string, limits: ValidationLimits, options: ValueSchemaOptions): z.ZodMiniType<unknown> {
  const checks: z.core.$ZodCheck<string>[] = [z.maxLength(limits.maxStringLength, { error: `is longer than ${limits.maxStringLength} characters` })];
  if (options.nonEmpty) checks.push(z.minLength(1, { error: 'must not be empty' }));
  if (options.keyLike) checks.push(z.refine((v: string) => encoder.encode(v).length <= limits.maxKeyBytes, { error: `is longer than ${limits.maxKeyBytes} bytes` }));
  const s = z.string({ error: `must be ${what}` }).check(...checks);
  return z.pipe(
    // Attribute mappings in IdPs (Okta expressions, Entra custom mappings) can yield a number for a
    // string attribute such as employeeNumber: store its decimal text rather than fail the sync.
    z.transform((v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v)),
    s,
  );
}
