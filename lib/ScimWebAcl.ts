import { ArnFormat, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Which requests the web ACL logs: those it blocks, or every request it inspects. */
export type WafLogging = 'blocked' | 'all';

/** WAF delivers to CloudWatch Logs only into log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/** Props of {@link ScimWebAcl}. */
export interface ScimWebAclProps {
  /**
   * ARN of the resource to protect: the API Gateway stage. Absent for the ops stack's shared web
   * ACL, which each tenant stack associates with its own stage.
   * @default - no association
   */
  readonly resourceArn?: string;
  /**
   * Web ACL name (unique per account and region, so tenant-scoped).
   * @default - a CloudFormation-generated name
   */
  readonly name?: string;
  /**
   * Requests per source IP per 5-minute window before WAF answers 429. An IdP sends everything
   * from a handful of IPs, so this must sit well above its full-sync rate.
   * @default 3000
   */
  readonly rateLimitPer5Min?: number;
  /**
   * Source ranges allowed to call the API (IPv4 and IPv6 CIDRs, e.g. Entra's published ranges);
   * requests from elsewhere get 403. Empty means every source is allowed.
   * @default []
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * Metric name prefix for WAF's CloudWatch metrics.
   * @default 'scim'
   */
  readonly metricPrefix?: string;
  /**
   * Which requests go to the web ACL's log group (`aws-waf-logs-<name>`): `blocked` keeps the
   * 403s and 429s WAF answered itself, with the rule that matched (the API's access log already
   * has a line for every request that got through, with its WAF status); `all` logs every request.
   * @default 'blocked'
   */
  readonly logging?: WafLogging;
  /**
   * Retention of the WAF log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

const THROTTLED_BODY_KEY = 'scimThrottled';
const FORBIDDEN_BODY_KEY = 'scimForbidden';
/** Seconds a client blocked by the rate rule is told to wait: WAF counts over 5 minutes. */
const WAF_RETRY_AFTER_SECONDS = 60;

function scimError(status: number, detail: string): string {
  return JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });
}

/**
 * A regional WAFv2 web ACL for the SCIM stage: a per-IP rate limit (429 with a SCIM body) and an
 * optional source-IP allow list (403). Deliberately no AWS managed rule groups: the Core Rule Set's
 * `NoUserAgent_HEADER` blocks requests without a User-Agent, which Microsoft Entra's "Test
 * Connection" sends, and its 8 KB `SizeRestrictions_BODY` blocks ordinary group PATCHes and /Bulk.
 */
export class ScimWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The IPv4 allow list, when `allowedCidrs` holds IPv4 ranges. */
  public readonly ipv4AllowList?: wafv2.CfnIPSet;
  /** The IPv6 allow list, when `allowedCidrs` holds IPv6 ranges. */
  public readonly ipv6AllowList?: wafv2.CfnIPSet;
  /** The association with the stage (callers add a dependency on the stage), when `resourceArn` is set. */
  public readonly association?: wafv2.CfnWebACLAssociation;
  /** The log group WAF writes its request logs to (`aws-waf-logs-<name>`). */
  public readonly logGroup: logs.LogGroup;
  /** The web ACL's logging configuration. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: ScimWebAclProps) {
    super(scope, id);
    const prefix = props.metricPrefix ?? 'scim';
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${prefix}-${name}`,
      // Sampled requests show headers and paths, never bodies; useful when tuning the rules.
      sampledRequestsEnabled: true,
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [];

    const cidrs = props.allowedCidrs ?? [];
    // An IP set holds one address family, so IPv4 and IPv6 ranges go to separate sets.
    const v4 = cidrs.filter((c) => !c.includes(':'));
    const v6 = cidrs.filter((c) => c.includes(':'));
    if (v4.length > 0) {
      this.ipv4AllowList = new wafv2.CfnIPSet(this, 'Ipv4AllowList', { scope: 'REGIONAL', ipAddressVersion: 'IPV4', addresses: v4 });
    }
    if (v6.length > 0) {
      this.ipv6AllowList = new wafv2.CfnIPSet(this, 'Ipv6AllowList', { scope: 'REGIONAL', ipAddressVersion: 'IPV6', addresses: v6 });
    }
    const sets = [this.ipv4AllowList, this.ipv6AllowList].filter((s): s is wafv2.CfnIPSet => s !== undefined);
    if (sets.length > 0) {
      const refs = sets.map((s) => ({ ipSetReferenceStatement: { arn: s.attrArn } }));
      rules.push({
        name: 'AllowListedSourcesOnly',
        priority: 0,
        // Block what is NOT in the allow list (an OR needs two operands, hence the single-set case).
        statement: { notStatement: { statement: refs.length === 1 ? refs[0] : { orStatement: { statements: refs } } } },
        action: { block: { customResponse: { responseCode: 403, customResponseBodyKey: FORBIDDEN_BODY_KEY } } },
        visibilityConfig: visibility('AllowListedSourcesOnly'),
      });
    }
    rules.push({
      name: 'RateLimitPerSourceIp',
      priority: 1,
      statement: { rateBasedStatement: { limit: props.rateLimitPer5Min ?? 3_000, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: THROTTLED_BODY_KEY,
            responseHeaders: [{ name: 'Retry-After', value: String(WAF_RETRY_AFTER_SECONDS) }],
          },
        },
      },
      visibilityConfig: visibility('RateLimitPerSourceIp'),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      // WAF cannot send application/scim+json (only text/plain, text/html, application/json);
      // SCIM clients parse JSON either way, and the body itself is an RFC 7644 §3.12 error.
      customResponseBodies: {
        [THROTTLED_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: scimError(429, 'too many requests from this address; retry later') },
        [FORBIDDEN_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: scimError(403, 'source address not allowed') },
      },
      rules,
    });

    // WAF logs to CloudWatch Logs only into `aws-waf-logs-*` groups. The ops stack's resource
    // policy (lib/ScimOpsStack.ts) lets log delivery write to all of ours, so WAF need not append
    // each group to its own shared policy, which stops at 5,120 characters (a few dozen ACLs).
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `${WAF_LOG_GROUP_PREFIX}${props.name ?? Names.uniqueResourceName(this, { maxLength: 100 })}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` that LogGroup.logGroupArn ends in.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      // No credentials and no personal data in logs: the bearer token, and the query string
      // (a filter such as `userName eq "jane@acme.io"` carries names and emails). Paths hold ids only.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { queryString: {} }],
      ...((props.logging ?? 'blocked') === 'blocked'
        ? {
            loggingFilter: {
              DefaultBehavior: 'DROP',
              Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }] }],
            },
          }
        : {}),
    });

    if (props.resourceArn) {
      this.association = new wafv2.CfnWebACLAssociation(this, 'Association', {
        resourceArn: props.resourceArn,
        webAclArn: this.webAcl.attrArn,
      });
    }
  }
}
