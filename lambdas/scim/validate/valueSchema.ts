import { ScimError } from '../errors';
import type { AttributeDefinition } from '../schema';
import { VALIDATION_LIMITS, type ValidationLimits } from './validationLimits';

// Hand-written rather than zod: these checks run on every attribute of every write, and zod's
// runtime was ~27 KB of every request function's 150 KB bundle and milliseconds of its cold start.

const encoder = new TextEncoder();

/** RFC 4648 §4 base64 (and the URL-safe alphabet of §5, which some clients use), padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Entra ID's "True"/"False" (and "true"/"false"), sometimes padded with spaces. */
const BOOLEAN_TEXT = /^\s*(true|false)\s*$/i;

/**
 * RFC 7643 §2.3.5 xsd:dateTime, as RFC 3339 with the time zone optional: a valid calendar date
 * (29 February only in leap years), `T`, `hh:mm:ss` with optional fraction and then `Z` or `±hh:mm`;
 * without a zone, the seconds are optional too (`2026-01-31T12:00`).
 */
const DATE_TIME = (() => {
  const date =
    '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
  const hhmm = '(?:[01]\\d|2[0-3]):[0-5]\\d';
  const zoned = `${hhmm}:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]${hhmm})`;
  const local = `${hhmm}(?::[0-5]\\d(?:\\.\\d+)?)?`;
  return new RegExp(`^${date}T(?:${zoned}|${local})$`);
})();

/** How a simple (non-complex) attribute value is bounded. */
export interface ValueSchemaOptions {
  /** The value becomes part of a DynamoDB key: bound it in bytes. */
  readonly keyLike: boolean;
  /** Reject the empty string (required attributes such as `userName`). */
  readonly nonEmpty: boolean;
}

/** Bounds for a value not bound for a key nor required to be non-empty (a PATCH operand: the result is validated whole). */
const PLAIN: ValueSchemaOptions = { keyLike: false, nonEmpty: false };

type Parsed = { value: unknown } | { problem: string };

/**
 * One simple value typed and bounded by its attribute's RFC 7643 §2.3 data type, with the
 * coercions real clients need: the coerced value (Entra's "True", a number for a string), or the
 * reason it is not one (`must be a boolean`). Complex and multi-valued structure is walked by
 * validateResource; this checks the leaves.
 */
export function parseValue(def: AttributeDefinition, raw: unknown, limits: ValidationLimits = VALIDATION_LIMITS, options: ValueSchemaOptions = PLAIN): Parsed {
  switch (def.type) {
    case 'boolean': {
      // Entra ID sends "True"/"False" (older jobs without the aadOptscim062020 flag, and for
      // `active` on deactivation), sometimes padded; others send "true"/"false". Coerced for
      // boolean attributes only.
      const v = typeof raw === 'string' && BOOLEAN_TEXT.test(raw) ? raw.trim().toLowerCase() === 'true' : raw;
      return typeof v === 'boolean' ? { value: v } : { problem: 'must be a boolean' };
    }
    case 'integer':
      if (!isFiniteNumber(raw) || !Number.isInteger(raw)) return { problem: 'must be an integer' };
      return Number.isSafeInteger(raw) ? { value: raw } : { problem: 'is out of range' };
    case 'decimal':
      return isFiniteNumber(raw) ? { value: raw } : { problem: 'must be a number' };
    case 'dateTime':
      return typeof raw === 'string' && DATE_TIME.test(raw) ? { value: raw } : { problem: 'must be an xsd:dateTime such as 2026-01-31T12:00:00Z' };
    case 'binary':
      if (typeof raw !== 'string') return { problem: 'must be a base64 string' };
      if (longerThan(raw, limits.maxBinaryLength)) return { problem: `is longer than ${limits.maxBinaryLength} characters` };
      return BASE64.test(raw) ? { value: raw } : { problem: 'must be a base64 string' };
    case 'reference':
    case 'string':
    default:
      return parseString(def.type === 'reference' ? 'a URI string' : 'a string', raw, limits, options);
  }
}

function parseString(what: string, raw: unknown, limits: ValidationLimits, options: ValueSchemaOptions): Parsed {
  // Attribute mappings in IdPs (Okta expressions, Entra custom mappings) can yield a number for a
  // string attribute such as employeeNumber: store its decimal text rather than fail the sync.
  const v = isFiniteNumber(raw) ? String(raw) : raw;
  if (typeof v !== 'string') return { problem: `must be ${what}` };
  if (longerThan(v, limits.maxStringLength)) return { problem: `is longer than ${limits.maxStringLength} characters` };
  if (options.nonEmpty && v === '') return { problem: 'must not be empty' };
  // A UTF-8 character is at most 3 bytes per UTF-16 code unit: count bytes only when that could exceed the bound.
  if (options.keyLike && v.length * 3 > limits.maxKeyBytes && encoder.encode(v).length > limits.maxKeyBytes) return { problem: `is longer than ${limits.maxKeyBytes} bytes` };
  return { value: v };
}

/** Whether `s` has more than `max` Unicode code points (what the length bounds count, not UTF-16 units). */
function longerThan(s: string, max: number): boolean {
  // A code point is one or two units: a string that fits in units fits; only an overflow is counted.
  if (s.length <= max) return false;
  let points = 0;
  for (const _ of s) if (++points > max) return true;
  return false;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
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
