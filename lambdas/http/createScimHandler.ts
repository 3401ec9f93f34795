import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from './middlewares/observability';
import { scimErrorHandler } from './middlewares/scimErrorHandler';
import { scimBodyParser, type ScimBodyParserOptions } from './middlewares/scimBodyParser';
import type { ScimEvent, ScimResult, ScimRoute } from './types';

/** Options for {@link createScimHandler}. */
export interface CreateScimHandlerOptions {
  /** Body limits. @default 1 MiB */
  readonly body?: ScimBodyParserOptions;
}

/**
 * Wraps a route in the one middy chain every SCIM handler uses. Order matters (middy runs
 * `before` in `use()` order and `after`/`onError` in reverse): observability first so it sees
 * the final status; the error handler next so every failure becomes a SCIM body before
 * observability counts it; the body parser last, closest to the route.
 */
export function createScimHandler(routeFn: ScimRoute, options: CreateScimHandlerOptions = {}) {
  return middy<ScimEvent, ScimResult, Error, Context>()
    .use(observability())
    .use(scimErrorHandler())
    .use(scimBodyParser(options.body))
    .handler(routeFn);
}

/** The middleware order above, by name, pinned by a test. */
export const MIDDLEWARE_ORDER = ['observability', 'scimErrorHandler', 'scimBodyParser'] as const;
