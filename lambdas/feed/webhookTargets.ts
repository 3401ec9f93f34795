import type { ChangeEvent } from '../events';
import type { PoolWebhook, PoolWebhooks } from '../store/PoolWebhooks';
import type { EventSink } from './EventSink';
import { deliverWebhook } from './webhookDelivery';
import type { SecretSealer } from './webhookSecrets';
import { fitEntry } from './fitEntry';

/** Where one pooled tenant's events are delivered, secret opened. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

/** Options of {@link createWebhookTargets}. */
export interface WebhookTargetsOptions {
  readonly webhooks: Pick<PoolWebhooks, 'get'>;
  /** Opens sealed secrets; without it only `hasWebhook` answers (the stream handler never opens a secret). */
  readonly sealer?: SecretSealer;
  /**
   * How long a tenant's webhook (or its absence) is cached, ms: a changed URL or secret is used,
   * and a removed webhook stops, within this. @default 60_000 (like the pooled functions' configuration)
   */
  readonly ttlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The pool's tenants' webhooks, read from the table and cached (bounded: 1,000 tenants a container). */
export interface WebhookTargets {
  /** Whether the tenant has a webhook: the stream handler queues only these tenants' events. */
  hasWebhook(tenant: string): Promise<boolean>;
  /** The tenant's URL and opened secret, or undefined when it has no webhook (any more). */
  targetOf(tenant: string): Promise<WebhookTarget | undefined>;
}

const CACHE_SIZE = 1_000;

/** Reads pooled tenants' webhooks with a TTL cache (one GetItem, and one KMS Decrypt, per tenant per TTL). */
export function createWebhookTargets(options: WebhookTargetsOptions): WebhookTargets {
  const ttl = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const records = new Map<string, { at: number; webhook: PoolWebhook | undefined }>();
  const opened = new Map<string, { sealed: string; secret: string }>();
  const recordOf = async (tenant: string): Promise<PoolWebhook | undefined> => {
    const hit = records.get(tenant);
    if (hit && now() - hit.at < ttl) return hit.webhook;
    const webhook = await options.webhooks.get(tenant);
    if (records.size >= CACHE_SIZE) records.delete(records.keys().next().value as string);
    records.set(tenant, { at: now(), webhook });
    return webhook;
  };
  return {
    async hasWebhook(tenant) {
      return (await recordOf(tenant)) !== undefined;
    },
    async targetOf(tenant) {
      const webhook = await recordOf(tenant);
      if (!webhook) return undefined;
      if (!options.sealer) throw new Error('createWebhookTargets: no sealer to open secrets with');
      let o = opened.get(tenant);
      // Opened again only when the sealed form changed (a rotation): one Decrypt per secret, not per event.
      if (!o || o.sealed !== webhook.sealedSecret) {
        o = { sealed: webhook.sealedSecret, secret: await options.sealer.open(tenant, webhook.sealedSecret) };
        if (opened.size >= CACHE_SIZE) opened.delete(opened.keys().next().value as string);
        opened.set(tenant, o);
      }
      return { url: webhook.url, secret: o.secret };
    },
  };
}

/**
 * A pool's webhook sink: hands the inner sink (the webhook queue in AWS) only the events of
 * tenants that have a webhook, so a tenant without one costs no queue message and no delivery
 * invocation.
 */
export class TenantWebhookFilterSink implements EventSink {
  readonly name: string;

  constructor(
    private readonly inner: EventSink,
    private readonly targets: Pick<WebhookTargets, 'hasWebhook'>,
  ) {
    this.name = inner.name;
  }

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    const wanted = new Map<string, boolean>();
    for (const t of new Set(events.map((e) => e.tenant))) wanted.set(t, await this.targets.hasWebhook(t));
    const kept = events.filter((e) => wanted.get(e.tenant));
    if (kept.length > 0) await this.inner.publish(kept);
  }
}

/**
 * `npm start -- --pool`: delivers each event to its tenant's webhook (set through the management
 * API), signed with that tenant's secret, like the pool's delivery function. A failed delivery is
 * reported (`onFailure`) and not retried: every tenant shares the stream, and in AWS one tenant's
 * failing receiver holds nobody back either (its deliveries wait in the queue, not in the stream).
 * Its app catches up with GET /t/<tenant>/events.
 */
export class LocalPoolWebhookSink implements EventSink {
  readonly name = 'webhook';

  constructor(
    private readonly targets: Pick<WebhookTargets, 'targetOf'>,
    private readonly onFailure: (event: ChangeEvent, error: unknown) => void = () => undefined,
  ) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (const e of events) {
      try {
        const target = await this.targets.targetOf(e.tenant);
        if (target) await deliverWebhook(fitEntry(e), target);
      } catch (error) {
        this.onFailure(e, error);
      }
    }
  }
}
