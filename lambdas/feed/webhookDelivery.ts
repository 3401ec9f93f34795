import { Webhook } from 'standardwebhooks';

/**
 * Webhook delivery settings: one set for the stack (queue, redrive, function timeout) and the
 * delivery code, so retries behave as documented.
 */
export const WEBHOOK_DELIVERY = {
  /** The delivery function's timeout; one POST gets a little less. */
  timeoutSeconds: 15,
  /** Deliveries of one event before it goes to the dead-letter queue. */
  maxReceiveCount: 10,
  /** First retry delay; doubles with every receive, capped (SQS allows 12 h). */
  firstRetrySeconds: 30,
  maxRetrySeconds: 6 * 3600,
} as const;

/**
 * The visibility timeout of a failed delivery's next attempt: 30 s, 1 min, 2 min, ... up to 6 h,
 * so ten receives span about a day and an app that was down for hours still gets every event.
 */
export function retryDelaySeconds(receiveCount: number): number {
  const exp = WEBHOOK_DELIVERY.firstRetrySeconds * 2 ** Math.max(0, receiveCount - 1);
  return Math.min(WEBHOOK_DELIVERY.maxRetrySeconds, exp);
}

/** Raised when the receiver did not take the event (non-2xx, timeout, network error). */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What one delivery needs. */
export interface DeliveryTarget {
  readonly url: string;
  /** The Standard Webhooks secret (`whsec_<base64>` or the bare base64). */
  readonly secret: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Clock for `webhook-timestamp`. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * The Standard Webhooks headers of one event: `webhook-id` is the event id (stable across
 * redeliveries, so the receiver de-duplicates on it), `webhook-timestamp` the signing time in
 * seconds, `webhook-signature` `v1,<base64 HMAC-SHA256>` computed by the `standardwebhooks`
 * package (no hand-written crypto).
 */
export function signWebhook(eventId: string, body: string, secret: string, at: Date): Record<string, string> {
  const wh = new Webhook(secret.startsWith('whsec_') ? secret : `whsec_${secret}`);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': wh.sign(eventId, at, body),
  };
}

/**
 * POSTs one event (its JSON text) to the receiver, signed; resolves on any 2xx, throws
 * WebhookDeliveryError otherwise so the queue retries it with backoff. The body is sent exactly as
 * signed: the receiver must verify the raw bytes before parsing.
 */
export async function deliverWebhook(body: string, target: DeliveryTarget): Promise<void> {
  const { id } = JSON.parse(body) as { id?: unknown };
  if (typeof id !== 'string') throw new WebhookDeliveryError('the queued message is not a change event (no id)');
  const headers = { 'Content-Type': 'application/json', 'User-Agent': 'serverless-scim-webhooks/1', ...signWebhook(id, body, target.secret, (target.now ?? (() => new Date()))()) };
  let res: Response;
  try {
    res = await (target.fetch ?? fetch)(target.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout((WEBHOOK_DELIVERY.timeoutSeconds - 3) * 1000) });
  } catch (e) {
    throw new WebhookDeliveryError(`POST failed: ${e instanceof Error ? e.name : 'error'}`, undefined, { cause: e });
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new WebhookDeliveryError(`receiver answered ${res.status}`, res.status);
}
