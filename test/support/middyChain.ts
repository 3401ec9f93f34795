import { vi } from 'vitest';
import type { Context } from 'aws-lambda';
import type { ScimEvent, ScimRoute } from '../../lambdas/http/types';

/** The modules a route needs, imported afresh with the stubbed environment (the logger and metrics read it once, on load). */
export interface ChainModules {
  readonly scimResponse: typeof import('../../lambdas/http/responses').scimResponse;
  readonly ScimError: typeof import('../../lambdas/scim/errors').ScimError;
  readonly countEvent: typeof import('../../lambdas/http/observability').countEvent;
}

/** One request through {@link runThroughChain}: API Gateway's event after the authorizer allowed it. */
export interface ChainRequest {
  /** Builds the route the chain wraps from the fresh modules. */
  readonly route: (modules: ChainModules) => ScimRoute;
  /** Environment variables set while the modules load and the request runs. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default POST */
  readonly method?: string;
  /** The resource path API Gateway matched. @default /scim/v2/Users */
  readonly path?: string;
  /** requestContext.path: the path with the stage, as the client sent it. @default path */
  readonly requestPath?: string;
  /** @default null */
  readonly body?: string | null;
  /** What the authorizer put in the context. @default scim:read scim:write for tenant acme, token tok_1 */
  readonly authorizer?: Readonly<Record<string, string>>;
  /** The Lambda request id. @default r */
  readonly requestId?: string;
  /** The same request this many times at once (one handler, as the local server runs it). @default 1 */
  readonly concurrent?: number;
}

/**
 * Runs a request through the real middy chain (createScimHandler) on modules imported afresh with
 * `env` stubbed, and returns the lines it wrote on stdout: the EMF documents and the log lines.
 */
export async function runThroughChain(request: ChainRequest): Promise<string[]> {
  vi.resetModules();
  for (const [name, value] of Object.entries(request.env ?? {})) vi.stubEnv(name, value);
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const { createScimHandler } = await import('../../lambdas/http/createScimHandler');
    const { scimResponse } = await import('../../lambdas/http/responses');
    const { ScimError } = await import('../../lambdas/scim/errors');
    const { countEvent } = await import('../../lambdas/http/observability');
    const handler = createScimHandler(request.route({ scimResponse, ScimError, countEvent }));
    const path = request.path ?? '/scim/v2/Users';
    const event = {
      httpMethod: request.method ?? 'POST',
      path,
      headers: {},
      body: request.body ?? null,
      requestContext: {
        path: request.requestPath ?? path,
        domainName: 'x',
        authorizer: request.authorizer ?? { scopes: 'scim:read scim:write', tenant: 'acme', tokenId: 'tok_1' },
      },
    } as unknown as ScimEvent;
    const context = { awsRequestId: request.requestId ?? 'r' } as Context;
    await Promise.all(Array.from({ length: request.concurrent ?? 1 }, () => handler(event, context)));
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  return chunks.flatMap((c) => c.split('\n')).filter((l) => l !== '');
}

/** The EMF documents among stdout lines (the ones with an `_aws` member), parsed. */
export function emfDocuments(lines: readonly string[]): Record<string, unknown>[] {
  return lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}
