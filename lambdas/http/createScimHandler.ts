import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from './middlewares/observability';
import { runAsRequest } from './observability';
import { scimErrorHandler } from './middlewares/scimErrorHandler';
import { scimBodyParser, type ScimBodyParserOptions } from './middlewares/scimBodyParser';
import { scopeGuard } from './middlewares/scopeGuard';
import { responseSizeGuard } from './middlewares/responseSizeGuard';
import type { ScimEvent, ScimResult, ScimRoute } from './types';
import { withWriteStamp } from '../store/writeContext';
import { writeStampOf } from './writeStampOf';

/** Options for {@link createScimHandler}. */
export interface CreateScimHandlerOptions {
  /** Body limits. @default 1 MiB */
  readonly body?: ScimBodyParserOptions;
}

/**
 * Wraps a route in the one middy chain every SCIM handler uses. Order matters (middy runs
 * `before` in `use()` order and `after`/`onError` in reverse): observability first so it sees
 * the final status; the error handler next so every failure becomes a SCIM body before
 * observability counts it; the response size guard inside it, so an answer too large for Lambda
 * becomes a SCIM error the handler renders; the scope guard before any body is read; the body
 * parser last.
 */
export function createScimHandler(routeFn: ScimRoute, options: CreateScimHandlerOptions = {}): (event: ScimEvent, context: Context) => Promise<ScimResult> {
  const chain = middy<ScimEvent, ScimResult, Error, Context>()
    .use(observability())
    .use(scimErrorHandler())
    .use(responseSizeGuard())
    .use(scopeGuard())
    .use(scimBodyParser(options.body))
    // Every store write of the request carries who made it (lambdas/store/writeContext.ts).
    .handler((event, context) => withWriteStamp(writeStampOf(event), () => routeFn(event, context)));
  // Each invocation is one request for the metrics and logs, even when the local server runs several at once.
  return (event, context) => runAsRequest(() => chain(event, context));
}
