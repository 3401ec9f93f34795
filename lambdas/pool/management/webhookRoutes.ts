import type { APIGatewayProxyResult } from 'aws-lambda';
import { generateWebhookSecret, isWebhookSecret, type SecretSealer } from '../../feed/webhookSecrets';
import type { PoolTenant } from '../../store/PoolDirectory';
import { WebhookTenantNotFoundError, type PoolWebhooks } from '../../store/PoolWebhooks';

/** What the webhook routes need: the records, the sealer (the pool's KMS key), a clock. */
export interface WebhookRouteDeps {
  readonly webhooks: PoolWebhooks;
  readonly sealer: SecretSealer;
  readonly now: () => Date;
  /**
   * Accept `http://` URLs to loopback hosts (the local pool delivers to a receiver on this
   * machine). Never in AWS: there every URL is HTTPS to a domain name. @default false
   */
  readonly allowLoopbackHttp?: boolean;
}

const MAX_URL_LENGTH = 2_048;
/** A DNS name (RFC 1123 labels, a dot, a letter TLD): no IP literal, so no metadata or private address by number. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `url` cannot be a tenant's webhook, or undefined when it can. */
export function webhookUrlProblem(url: unknown, allowLoopbackHttp = false): string | undefined {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return `url must be a string of at most ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a URL';
  }
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (allowLoopbackHttp && parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return undefined;
  if (parsed.protocol !== 'https:') return 'url must be https';
  if (!DOMAIN.test(parsed.hostname)) return 'url must name a host by its DNS name, not an IP address';
  return undefined;
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}

const problem = (statusCode: number, error: string, detail: string) => json(statusCode, { error, detail });

/**
 * `/manage/tenants/{t}/webhook`, the tenant's webhook in a pool (run-time configuration: no
 * deploy, no resource per tenant):
 * - `PUT` `{ url, secret?, rotateSecret? }` sets the URL. A first PUT (or `rotateSecret: true`)
 *   generates a signing secret and answers it once (`secret`, `whsec_…`), like a token; `secret`
 *   sets one the vendor chose instead. A PUT changing only the URL keeps the secret.
 * - `GET` answers `{ url, createdAt, updatedAt }`, never the secret.
 * - `DELETE` removes it: the tenant's events are no longer queued for delivery (within the
 *   stream handler's cache TTL); deliveries already queued are dropped.
 */
export async function webhookRoute(method: string, tenant: PoolTenant, body: Record<string, unknown>, deps: WebhookRouteDeps): Promise<APIGatewayProxyResult> {
  const { webhooks, sealer } = deps;
  const name = tenant.tenant;
  const visible = (w: { url: string; createdAt: string; updatedAt: string }) => ({ tenant: name, url: w.url, createdAt: w.createdAt, updatedAt: w.updatedAt });
  if (method === 'GET') {
    const w = await webhooks.get(name);
    return w ? json(200, visible(w)) : problem(404, 'not_found', 'the tenant has no webhook');
  }
  if (method === 'DELETE') return (await webhooks.remove(name)) ? json(200, { tenant: name, deleted: true }) : problem(404, 'not_found', 'the tenant has no webhook');
  if (method !== 'PUT') return problem(405, 'method_not_allowed', 'GET, PUT or DELETE');
  if (tenant.status === 'deleting') return problem(409, 'tenant_deleting', 'the tenant is being deleted; continue with DELETE /manage/tenants/{t}');
  const urlProblem = webhookUrlProblem(body.url, deps.allowLoopbackHttp);
  if (urlProblem) return problem(400, 'invalid_request', urlProblem);
  if (body.secret !== undefined && !isWebhookSecret(body.secret)) return problem(400, 'invalid_request', 'secret must be whsec_ and 24 to 64 bytes in base64 (Standard Webhooks)');
  if (body.rotateSecret !== undefined && typeof body.rotateSecret !== 'boolean') return problem(400, 'invalid_request', 'rotateSecret must be a boolean');
  if (body.secret !== undefined && body.rotateSecret === true) return problem(400, 'invalid_request', 'give secret or rotateSecret, not both');
  const previous = await webhooks.get(name);
  const fresh = body.secret === undefined && (!previous || body.rotateSecret === true) ? generateWebhookSecret() : undefined;
  const secret = (body.secret as string | undefined) ?? fresh;
  try {
    const saved = await webhooks.put({ tenant: name, url: body.url as string, sealedSecret: secret ? await sealer.seal(name, secret) : previous!.sealedSecret }, deps.now().toISOString());
    // The generated secret is in this answer only: the table keeps it sealed.
    return json(previous ? 200 : 201, { ...visible(saved), ...(fresh ? { secret: fresh } : {}) });
  } catch (e) {
    if (e instanceof WebhookTenantNotFoundError) return problem(404, 'not_found', 'no such tenant');
    throw e;
  }
}
