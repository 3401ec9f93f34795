import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCIM_GATEWAY_RESPONSE_SPECS } from '../../lib/scimGatewayResponses';
import { synthTenant } from './synthTenant';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

const SCIM_ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Maps resource paths (`/scim/v2/Users/{id}`) to their logical ids. */
function resourcePaths(resources: Record<string, Resource>, apiId: string): Map<string, string> {
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const r = resources[id].Properties as { ParentId: { Ref?: string; 'Fn::GetAtt'?: string[] }; PathPart: string };
    const parent = r.ParentId.Ref ?? r.ParentId['Fn::GetAtt']![0];
    return `${parent === apiId ? '' : pathOf(parent)}/${r.PathPart}`;
  };
  for (const [id, r] of Object.entries(resources)) if (r.Type === 'AWS::ApiGateway::Resource') paths.set(pathOf(id), id);
  return paths;
}

/** The description keyword (`users`, `groups`...) of the function a method integrates with. */
function targetOf(resources: Record<string, Resource>, method: Resource): string {
  const uri = JSON.stringify((method.Properties.Integration as { Uri: unknown }).Uri);
  const fnId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Lambda::Function' && uri.includes(`"${id}"`));
  return String(resources[fnId!].Properties.Description).split(' ')[1];
}

describe('ScimApi', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  beforeAll(() => {
    ({ template } = synthTenant('acme', { throttling: { rateLimit: 25, burstLimit: 40 }, authorizerCacheTtlSeconds: 120 }));
    resources = template.toJSON().Resources;
  });

  it('is a regional REST API named after the tenant, without the account-wide CloudWatch role', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'scim-acme', EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it.each([
    ['/scim/v2/Users', 'users'],
    ['/scim/v2/Users/{id}', 'users'],
    ['/scim/v2/Users/.search', 'users'],
    ['/scim/v2/Groups', 'groups'],
    ['/scim/v2/Groups/{id}', 'groups'],
    ['/scim/v2/Groups/.search', 'groups'],
    ['/scim/v2/.search', 'users'],
    ['/scim/v2/Bulk', 'bulk'],
    ['/scim/v2/ServiceProviderConfig', 'discovery'],
    ['/scim/v2/ResourceTypes', 'discovery'],
    ['/scim/v2/ResourceTypes/{id}', 'discovery'],
    ['/scim/v2/Schemas', 'discovery'],
    ['/scim/v2/Schemas/{id}', 'discovery'],
    ['/scim/v2/{proxy+}', 'discovery'],
  ])('routes ANY %s to the %s function behind the authorizer', (path, fn) => {
    // Prepare
    const apiId = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
    const resourceId = resourcePaths(resources, apiId).get(path);
    expect(resourceId, path).toBeDefined();
    // Act
    const methods = Object.values(resources).filter(
      (r) => r.Type === 'AWS::ApiGateway::Method' && (r.Properties.ResourceId as { Ref: string }).Ref === resourceId,
    );
    // Assess
    expect(methods).toHaveLength(1);
    expect(methods[0].Properties).toMatchObject({ HttpMethod: 'ANY', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: expect.any(String) } });
    expect(methods[0].Properties.Integration).toMatchObject({ Type: 'AWS_PROXY' });
    expect(targetOf(resources, methods[0])).toBe(fn);
  });

  it('has no unauthenticated method', () => {
    template.allResourcesProperties('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM' });
  });

  it('uses a REQUEST authorizer on the Authorization header with the configured cache TTL', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 120,
    });
  });

  it('caches authorizer results for 300 s by default', () => {
    synthTenant('acme').template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 300 });
  });

  it.each([
    ['UNAUTHORIZED', '401'],
    ['ACCESS_DENIED', '403'],
    ['THROTTLED', '429'],
    ['MISSING_AUTHENTICATION_TOKEN', '404'],
    ['REQUEST_TOO_LARGE', '413'],
    ['DEFAULT_4XX', '400'],
    ['DEFAULT_5XX', '500'],
  ])('answers %s with %s, a SCIM error body and application/scim+json', (type, status) => {
    const responses = template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: type } });
    const [response] = Object.values(responses);
    expect(response, type).toBeDefined();
    expect(response.Properties.StatusCode).toBe(status);
    expect(response.Properties.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/scim+json'");
    for (const body of Object.values(response.Properties.ResponseTemplates as Record<string, string>)) {
      expect(JSON.parse(body)).toEqual({ schemas: [SCIM_ERROR_URN], status, detail: expect.any(String) });
    }
  });

  it('sends Retry-After with 429 and WWW-Authenticate with 401', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': Match.stringLikeRegexp("^'\\d+'$") }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': Match.stringLikeRegexp('^\'Bearer') }),
    });
  });

  it('registers every gateway response spec, each with a body whose status equals the HTTP status', () => {
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', SCIM_GATEWAY_RESPONSE_SPECS.length);
    for (const spec of SCIM_GATEWAY_RESPONSE_SPECS) expect(JSON.parse(spec.body).status).toBe(String(spec.statusCode));
  });

  it('sets stage throttling from config', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 25, ThrottlingBurstLimit: 40 })]),
    });
  });

  it('writes JSON access logs without query strings to its own log group', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const settings = stage.Properties.AccessLogSetting as { DestinationArn: { 'Fn::GetAtt': string[] }; Format: string };
    expect(resources[settings.DestinationArn['Fn::GetAtt'][0]].Type).toBe('AWS::Logs::LogGroup');
    const format = JSON.parse(settings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', tokenId: '$context.authorizer.tokenId' });
    expect(settings.Format).not.toMatch(/querystring|requestOverride|\$input/i);
  });

  it('enables X-Ray on the stage when tracing is on', () => {
    synthTenant('acme', { tracing: true }).template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  it('has no web ACL by default', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  describe('with WAF enabled', () => {
    let waf: Template;
    beforeAll(() => {
      ({ template: waf } = synthTenant('acme', {
        waf: { enabled: true, rateLimitPer5Min: 500, allowedCidrs: ['20.40.0.0/16', '2603:1000::/24'] },
      }));
    });

    it('attaches a regional web ACL with a per-IP rate rule answering 429', () => {
      waf.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'RateLimitPerSourceIp',
            Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
            Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
          }),
        ]),
      });
      const association = Object.values(waf.findResources('AWS::WAFv2::WebACLAssociation'))[0] as Resource;
      expect(association.DependsOn?.some((d) => d.startsWith('ApiDeploymentStage'))).toBe(true);
    });

    it('blocks sources outside the IPv4 and IPv6 allow lists', () => {
      waf.hasResourceProperties('AWS::WAFv2::IPSet', { IPAddressVersion: 'IPV4', Addresses: ['20.40.0.0/16'], Scope: 'REGIONAL' });
      waf.hasResourceProperties('AWS::WAFv2::IPSet', { IPAddressVersion: 'IPV6', Addresses: ['2603:1000::/24'], Scope: 'REGIONAL' });
      waf.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'AllowListedSourcesOnly',
            Statement: { NotStatement: { Statement: { OrStatement: { Statements: Match.arrayWith([Match.objectLike({ IPSetReferenceStatement: Match.anyValue() })]) } } } },
            Action: { Block: Match.anyValue() },
          }),
        ]),
      });
    });

    it('has no rule that looks at the User-Agent header (Entra Test Connection omits it)', () => {
      const acl = Object.values(waf.findResources('AWS::WAFv2::WebACL'))[0];
      const rules = JSON.stringify(acl.Properties.Rules).toLowerCase();
      expect(rules).not.toContain('user-agent');
      expect(rules).not.toContain('useragent');
      expect(rules).not.toContain('managedrulegroupstatement');
    });

    it('logs what WAF blocked to aws-waf-logs-scim-<tenant>, without the token or the query string', () => {
      const acl = Object.keys(waf.findResources('AWS::WAFv2::WebACL'))[0];
      waf.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-scim-acme', RetentionInDays: 90 });
      waf.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [acl, 'Arn'] },
        // The log group's ARN without LogGroup.logGroupArn's trailing `:*`, which WAF refuses.
        LogDestinationConfigs: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:', Match.anyValue()]] },
        ],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }],
        LoggingFilter: {
          DefaultBehavior: 'DROP',
          Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }] }],
        },
      });
      const destination = JSON.stringify(Object.values(waf.findResources('AWS::WAFv2::LoggingConfiguration'))[0].Properties.LogDestinationConfigs);
      expect(destination).not.toMatch(/:\*"/);
    });

    it('logs every request with waf.logging "all", the log group kept as long as the access logs', () => {
      const { template: t } = synthTenant('acme', { waf: { enabled: true, logging: 'all' }, logRetentionDays: 30 });
      t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { LoggingFilter: Match.absent(), RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]) });
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-scim-acme', RetentionInDays: 30 });
    });

    it('has no allow-list rule when no CIDRs are configured', () => {
      const { template: t } = synthTenant('acme', { waf: { enabled: true } });
      t.resourceCountIs('AWS::WAFv2::IPSet', 0);
      const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0];
      expect((acl.Properties.Rules as Array<{ Name: string }>).map((r) => r.Name)).toEqual(['RateLimitPerSourceIp']);
    });
  });
});
