import type { WriteStamp } from '../store/changeAttributes';
import { authorizerContext } from './request';
import type { ScimEvent } from './types';

/**
 * Who is writing, from what API Gateway passes the handler: the authorizer's token id and label,
 * the gateway's request id (the one access logs show) and the client's address. Stamped on every
 * item the request writes so the change feed and the audit trail can name the actor.
 */
export function writeStampOf(event: ScimEvent): WriteStamp {
  const auth = authorizerContext(event);
  const rc = event.requestContext;
  return {
    ...(auth.tokenId ? { tokenId: auth.tokenId } : {}),
    ...(auth.tokenLabel !== undefined ? { label: auth.tokenLabel } : {}),
    ...(rc?.requestId ? { requestId: rc.requestId } : {}),
    ...(rc?.identity?.sourceIp ? { sourceIp: rc.identity.sourceIp } : {}),
  };
}
