import type middy from '@middy/core';
import { ScimError } from '../../scim/errors';
import { parseStrictJson } from '../parseStrictJson';
import { header } from '../request';
import type { ScimEvent, ScimResult } from '../types';

/** Options for {@link scimBodyParser}. */
export interface ScimBodyParserOptions {
  /** Largest accepted body in bytes. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
}

/**
 * Media types whose bodies cannot be a JSON document: XML, HTML forms, multipart, and binary
 * media. Everything else is read as JSON: RFC 7644 §3.1's `application/scim+json`, the
 * `application/json` most IdPs send, `text/plain` (what HTTP libraries put on a string body) and
 * no Content-Type at all (Okta's SCIM 2.0 spec test, which an Okta Integration Network submission
 * must pass, posts users without one), with any parameters.
 */
const NOT_JSON = /^(?:multipart\/|image\/|audio\/|video\/|font\/|application\/x-www-form-urlencoded$|[^/]+\/(?:[^;]*\+)?xml$)/i;

/** The `type/subtype` of a Content-Type, lowercased, and its charset if any. */
function parseContentType(value: string): { mediaType: string; charset?: string } {
  const [type, ...params] = value.split(';');
  const charset = params
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1])
    .find((c) => c !== undefined);
  return { mediaType: type.trim().toLowerCase(), ...(charset ? { charset: charset.toLowerCase() } : {}) };
}

/** Charsets that are UTF-8 under another label: their bytes go to the strict parser as they are. */
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/**
 * The body as UTF-8 bytes. A client declaring another charset the runtime knows (`utf-16le`,
 * `iso-8859-1`) means it, so its text is transcoded; an unknown label is ignored, as JSON is UTF-8
 * (RFC 8259 §8.1). A UTF-8 byte order mark is dropped, as RFC 8259 lets a parser do.
 */
function toUtf8(raw: Buffer, charset: string | undefined): Buffer {
  let bytes = raw;
  if (charset !== undefined && !UTF8_LABELS.has(charset)) {
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      decoder = undefined;
    }
    if (decoder) {
      try {
        bytes = Buffer.from(decoder.decode(raw), 'utf8');
      } catch {
        throw ScimError.badRequest('invalidSyntax', `Request body is not valid ${decoder.encoding} text`);
      }
    }
  }
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/**
 * Decodes (base64 when API Gateway says so), bounds and parses the JSON body into
 * `event.parsedBody`. Invalid JSON, invalid UTF-8, lone surrogates, repeated member names and
 * nesting past MAX_JSON_DEPTH are 400 invalidSyntax (parseStrictJson); a media type that cannot
 * hold JSON (see NOT_JSON) 415; too large 413.
 */
export function scimBodyParser(options: ScimBodyParserOptions = {}): middy.MiddlewareObj<ScimEvent, ScimResult> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const before: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    const event = request.event as ScimEvent & { parsedBody?: unknown };
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (raw.byteLength > maxBytes) {
      throw new ScimError(413, undefined, `Request body of ${raw.byteLength} bytes exceeds the limit of ${maxBytes} bytes`);
    }
    const { mediaType, charset } = parseContentType(header(event, 'content-type') ?? '');
    if (NOT_JSON.test(mediaType)) {
      throw new ScimError(415, undefined, `Content-Type ${mediaType.slice(0, 80)} cannot carry a SCIM request; send JSON as application/scim+json`);
    }
    event.parsedBody = parseStrictJson(toUtf8(raw, charset));
  };
  return { before };
}

/** The parsed JSON body, or undefined when the request had none. */
export function parsedBody(event: ScimEvent): unknown {
  return (event as ScimEvent & { parsedBody?: unknown }).parsedBody;
}
