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

/** Media types we accept: RFC 7644 §3.1 `application/scim+json`, and `application/json` which many IdPs send. */
const JSON_TYPES = /^application\/(scim\+)?json\s*(;.*)?$/i;

/**
 * Decodes (base64 when API Gateway says so), bounds and parses the JSON body into
 * `event.parsedBody`. Invalid JSON, invalid UTF-8, lone surrogates, repeated member names and
 * nesting past MAX_JSON_DEPTH are 400 invalidSyntax (parseStrictJson); a wrong media type 415; too large 413.
 * A missing Content-Type is tolerated when the body is JSON (some clients omit it).
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
    const contentType = header(event, 'content-type');
    if (contentType !== undefined && contentType.trim() !== '' && !JSON_TYPES.test(contentType.trim())) {
      throw new ScimError(415, undefined, `Content-Type ${contentType.slice(0, 80)} is not supported; send application/scim+json`);
    }
    event.parsedBody = parseStrictJson(raw);
  };
  return { before };
}

/** The parsed JSON body, or undefined when the request had none. */
export function parsedBody(event: ScimEvent): unknown {
  return (event as ScimEvent & { parsedBody?: unknown }).parsedBody;
}
