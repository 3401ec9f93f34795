import { SCIM_BASE_PATH } from '../lambdas/contracts/scimApi';
import { API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS } from '../lambdas/contracts/ttls';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { TOKEN_ENDPOINT_PATH, TOKEN_ROUTE_BURST_LIMIT, TOKEN_ROUTE_RATE_LIMIT } from '../lambdas/auth/oauth/constants';
import { addScimGatewayResponses } from './scimGatewayResponses';
import { addScimRoutes } from './scimRoutes';
import { ScimWebAcl, type WafLogging } from './ScimWebAcl';

/** The functions the API routes to. */
export interface ScimApiFunctions {
  /** The REQUEST authorizer. */
  readonly authorizer: lambda.IFunction;
  /** Users and the root `/.search`. */
  readonly users: lambda.IFunction;
  /** Groups. */
  readonly groups: lambda.IFunction;
  /** Discovery endpoints and unknown paths. */
  readonly discovery: lambda.IFunction;
  /** `/Bulk`. */
  readonly bulk: lambda.IFunction;
  /**
   * POST `/oauth2/token` (OAuth 2.0 client credentials), outside `/scim/v2` and without the
   * authorizer: the client has no access token yet.
   * @default - no token route (OAuth disabled)
   */
  readonly token?: lambda.IFunction;
}

/** Options of the optional WAF web ACL. */
export interface ScimApiWafOptions {
  /**
   * Requests per source IP per 5 minutes.
   * @default 3000
   */
  readonly rateLimitPer5Min?: number;
  /**
   * Allowed source CIDRs; empty allows all.
   * @default []
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * Which requests the web ACL logs (ScimWebAclProps.logging); the log group keeps them as long
   * as the access logs.
   * @default 'blocked'
   */
  readonly logging?: WafLogging;
}

/** Props of {@link ScimApi}. */
export interface ScimApiProps {
  /** The tenant (API name, WAF name, access logs). */
  readonly tenant: string;
  /** The functions to route to. */
  readonly functions: ScimApiFunctions;
  /**
   * Stage name: the first path segment of the base URL.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Stage-wide steady-state rate limit (requests per second).
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Stage-wide burst limit (requests).
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * How long API Gateway caches the authorizer's policy per Authorization header value. Part of
   * the revocation delay (lambdas/auth/constants.ts); zero disables caching.
   * @default Duration.seconds(API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS), 300 s (lambdas/contracts/ttls.ts)
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * Retention of the access log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * X-Ray tracing on the stage.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * A WAFv2 web ACL in front of the stage; absent means none.
   * @default - no web ACL
   */
  readonly waf?: ScimApiWafOptions;
  /**
   * ARN of a web ACL shared by several APIs (the ops stack's) to associate with the stage instead
   * of a web ACL of its own; exclusive with `waf`.
   * @default - none
   */
  readonly sharedWebAclArn?: string;
}

/** The SCIM route prefix under the stage (RFC 7644 §3.13 versioned base URL). */
export { SCIM_BASE_PATH };

/**
 * Fields of the JSON access log. No query string and no body: SCIM filters carry userNames and
 * emails (personal data). The token is identified by its id from the authorizer context, never
 * by the header.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  authorizerError: '$context.authorizer.error',
  authorizerLatency: '$context.authorizer.latency',
  tokenId: '$context.authorizer.tokenId',
  tenant: '$context.authorizer.tenant',
  wafStatus: '$context.waf.status',
};

/**
 * The tenant's REST API: `/scim/v2/...` routes to the functions behind a cached REQUEST
 * authorizer, SCIM-shaped gateway responses, stage throttling, JSON access logs and an optional
 * web ACL. REST rather than HTTP API: only REST lets 401/403/429 carry a SCIM body, and takes WAF.
 */
export class ScimApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The REQUEST authorizer (Authorization header, cached). */
  public readonly authorizer: apigateway.RequestAuthorizer;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The `/scim/v2` resource. */
  public readonly scimRoot: apigateway.IResource;
  /** The SCIM base URL: the stage URL plus `scim/v2`. */
  public readonly scimBaseUrl: string;
  /** The token endpoint's URL, when the token route exists. */
  public readonly tokenEndpointUrl?: string;
  /** The web ACL, when enabled. */
  public readonly webAcl?: ScimWebAcl;

  constructor(scope: Construct, id: string, props: ScimApiProps) {
    super(scope, id);
    const fns = props.functions;
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.authorizer = new apigateway.RequestAuthorizer(this, 'Authorizer', {
      handler: fns.authorizer,
      identitySources: [apigateway.IdentitySource.header('Authorization')],
      // The cache key is the Authorization header; buildPolicy returns a policy for every route,
      // so one cached answer is valid for all of them.
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS),
      authorizerName: `scim-${props.tenant}-bearer`,
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `scim-${props.tenant}`,
      description: `SCIM 2.0 service provider for tenant ${props.tenant}`,
      // Regional: the IdPs call from their own clouds, CloudFront adds nothing, and a regional
      // web ACL can be attached directly.
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The CloudWatch role is one account-wide API Gateway setting: a per-tenant stack must not
      // own it (two tenants would fight over it, and deleting one would break the other).
      cloudWatchRole: false,
      defaultMethodOptions: { authorizer: this.authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM },
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: props.tracing ?? false,
        // Method throttling on the unauthenticated token route, well below the stage's: it bounds
        // how fast anyone can guess client secrets or replay assertions, whatever the source IPs.
        ...(fns.token
          ? { methodOptions: { [`/${TOKEN_ENDPOINT_PATH}/*`]: { throttlingRateLimit: TOKEN_ROUTE_RATE_LIMIT, throttlingBurstLimit: TOKEN_ROUTE_BURST_LIMIT } } }
          : {}),
      },
    });
    // RestApi adds an `Endpoint<hash>` output (the bare stage URL); the stack's outputs are a
    // contract read by the token CLI, and the stage URL is not the URL to paste into an IdP.
    this.api.node.tryRemoveChild('Endpoint');
    addScimGatewayResponses(this.api);

    const integration = (fn: lambda.IFunction): apigateway.LambdaIntegration =>
      // allowTestInvoke: false halves the Lambda resource-policy statements (one per method);
      // the console's test button is not worth a policy near its 20 KB limit.
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const users = integration(fns.users);
    const groups = integration(fns.groups);
    const discovery = integration(fns.discovery);
    const bulk = integration(fns.bulk);

    const v2 = SCIM_BASE_PATH.split('/').reduce((parent, part) => parent.addResource(part), this.api.root);
    this.scimRoot = v2;
    addScimRoutes(v2, { users, groups, discovery, bulk });

    this.scimBaseUrl = this.api.deploymentStage.urlForPath(`/${SCIM_BASE_PATH}`);

    if (fns.token) {
      // ANY, so a GET gets the handler's RFC 6749 405 rather than API Gateway's 403; NONE, because
      // the client authenticates inside the request (client secret or assertion), not with a token.
      const [first, second] = TOKEN_ENDPOINT_PATH.split('/');
      this.api.root
        .addResource(first)
        .addResource(second)
        .addMethod('ANY', new apigateway.LambdaIntegration(fns.token, { allowTestInvoke: false }), { authorizationType: apigateway.AuthorizationType.NONE });
      this.tokenEndpointUrl = this.api.deploymentStage.urlForPath(`/${TOKEN_ENDPOINT_PATH}`);
    }

    if (props.waf) {
      this.webAcl = new ScimWebAcl(this, 'Waf', {
        name: `scim-${props.tenant}`,
        resourceArn: this.api.deploymentStage.stageArn,
        rateLimitPer5Min: props.waf.rateLimitPer5Min,
        allowedCidrs: props.waf.allowedCidrs,
        metricPrefix: `scim-${props.tenant}`,
        logging: props.waf.logging,
        logRetention: props.accessLogRetention,
      });
      // The stage ARN is a formatted string, not a reference: without this the association
      // could be created before the stage exists.
      this.webAcl.association?.node.addDependency(this.api.deploymentStage);
    }
    if (props.sharedWebAclArn) {
      if (props.waf) throw new Error('waf and sharedWebAclArn are exclusive: an API stage takes one web ACL');
      const association = new wafv2.CfnWebACLAssociation(this, 'SharedWafAssociation', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.sharedWebAclArn,
      });
      association.node.addDependency(this.api.deploymentStage);
    }

    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-APIG2',
          reason:
            'Request bodies are validated by the handlers against SCIM schemas that include tenant-defined extensions; an API Gateway model cannot express them and would answer in a non-SCIM format.',
        },
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Every SCIM method uses the REQUEST authorizer via defaultMethodOptions; the OAuth token route authenticates the client inside the request (RFC 6749 §2.3 client secret or RFC 7523 assertion) and is method-throttled.',
        },
        {
          id: 'AwsSolutions-COG4',
          reason: 'IdPs (Entra ID, Okta) authenticate with a SCIM bearer token or our own OAuth access token, not Cognito; the REQUEST authorizer verifies both.',
        },
        {
          id: 'AwsSolutions-APIG6',
          reason:
            'Execution logging needs the account-wide API Gateway CloudWatch role, which a per-tenant stack must not own; JSON access logs (APIG1) and the functions\u2019 logs cover each request.',
        },
        ...(props.waf || props.sharedWebAclArn
          ? []
          : [
              {
                id: 'AwsSolutions-APIG3',
                reason: 'WAF is opt-in per tenant (config waf.enabled); without it the stage throttling and the authorizer still apply.',
              },
            ]),
      ],
      true,
    );
  }
}
