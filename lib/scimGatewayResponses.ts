import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import {
  SCIM_CONTENT_TYPE,
  SCIM_GATEWAY_RESPONSES as AUTH_GATEWAY_RESPONSES,
} from '../lambdas/contracts/authGatewayResponses';
import { EXTRA_GATEWAY_RESPONSES, type GatewayResponseSpec } from '../lambdas/contracts/gatewayResponses';

export { EXTRA_GATEWAY_RESPONSES, type GatewayResponseSpec };

/** Every gateway response the API registers: the auth layer's, then ours. */
export const SCIM_GATEWAY_RESPONSE_SPECS: readonly GatewayResponseSpec[] = [...AUTH_GATEWAY_RESPONSES, ...EXTRA_GATEWAY_RESPONSES];

/** Registers `specs` on `api` (one AWS::ApiGateway::GatewayResponse each). */
export function addScimGatewayResponses(api: apigateway.RestApi, specs: readonly GatewayResponseSpec[] = SCIM_GATEWAY_RESPONSE_SPECS): void {
  for (const s of specs) {
    api.addGatewayResponse(`${s.type}Response`, {
      type: apigateway.ResponseType.of(s.type),
      statusCode: String(s.statusCode),
      responseHeaders: Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k, `'${v}'`])),
      // API Gateway picks the template by the client's Accept; IdPs send either type.
      templates: { 'application/json': s.body, [SCIM_CONTENT_TYPE]: s.body },
    });
  }
}
