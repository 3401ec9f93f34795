import { describe, it, expect, beforeAll } from 'vitest';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createTestTable } from '../support/dynamo';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

const ENTRIES = ['users', 'groups', 'discovery', 'bulk', 'authorizer', 'maintenance', 'token'] as const;

/**
 * Bundles each Lambda entry the way lib/ScimFunctions.ts does (esbuild, CJS, node22, AWS SDK
 * external) and runs the bundle as Lambda would: CommonJS, no package.json "type": "module",
 * only the AWS SDK from outside. Catches ESM/CJS interop and missing-module mistakes that
 * the TypeScript tests cannot see.
 */
describe('Lambda bundles', () => {
  // Inside the project so the bundles resolve the AWS SDK from node_modules, as Lambda's runtime provides it.
  const cache = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'scim-bundles-'));
  const load = createRequire(join(process.cwd(), 'package.json'));
  const bundles: Record<string, Handler> = {};

  beforeAll(async () => {
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
    await build({
      entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, `lambdas/handlers/${e}.ts`])),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      external: ['@aws-sdk/*'],
      outdir: dir,
      logLevel: 'silent',
    });
    const table = await createTestTable('bundle');
    Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), TENANT: 'demo', SCIM_CONFIG: '{}', SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:scim/demo/tokens', OAUTH_KEY_ARN: 'arn:aws:kms:us-east-1:000000000000:key/k' });
    for (const e of ENTRIES) bundles[e] = load(join(dir, `${e}.js`)).handler as Handler;
  }, 120_000);

  const event = (method: string, path: string, body?: unknown) => ({
    httpMethod: method,
    path: `/scim/v2${path}`,
    headers: body ? { 'Content-Type': 'application/scim+json' } : {},
    body: body ? JSON.stringify(body) : null,
    isBase64Encoded: false,
    queryStringParameters: null,
    requestContext: { domainName: 'api.example.com', path: `/prod/scim/v2${path}`, authorizer: { scopes: 'scim:read scim:write', tenant: 'demo', tokenId: 'tok_x' } },
  });
  const context = { awsRequestId: 'req', getRemainingTimeInMillis: () => 10_000 };

  it('serves /ServiceProviderConfig from the discovery bundle', async () => {
    const r = await bundles.discovery(event('GET', '/ServiceProviderConfig'), context);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body).schemas[0]).toBe('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig');
  });

  it('creates and reads a user on DynamoDB through the users bundle', async () => {
    const created = await bundles.users(event('POST', '/Users', { userName: 'bundle@example.com' }), context);
    expect(created.statusCode).toBe(201);
    const id = JSON.parse(created.body).id;
    const read = await bundles.users(event('GET', `/Users/${id}`), context);
    expect(JSON.parse(read.body).userName).toBe('bundle@example.com');
  });

  it('creates a group through the groups bundle and runs a bulk request through the bulk bundle', async () => {
    const group = await bundles.groups(event('POST', '/Groups', { displayName: 'Bundled' }), context);
    expect(group.statusCode).toBe(201);
    const bulk = await bundles.bulk(
      event('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'bulk-bundle@example.com' } }],
      }),
      context,
    );
    expect(JSON.parse(bulk.body).Operations[0].status).toBe('201');
  });

  it('runs the maintenance bundle against the table', async () => {
    expect(await (bundles.maintenance as unknown as () => Promise<unknown>)()).toEqual({ pending: 0, rollbacksRecovered: 0, rollbacksOpen: 0 });
  });

  it('makes the token bundle answer a JSON token request with an RFC 6749 invalid_request', async () => {
    const r = await bundles.token({ httpMethod: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', isBase64Encoded: false }, context);
    expect([r.statusCode, JSON.parse(r.body).error]).toEqual([400, 'invalid_request']);
  });

  it('makes the authorizer bundle deny a request without a token', async () => {
    await expect(
      bundles.authorizer({ type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:1:api/prod/GET/scim/v2/Users', headers: {} }, context),
    ).rejects.toThrow('Unauthorized');
  });
});
