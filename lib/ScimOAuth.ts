import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { OAUTH_METRIC, TOKEN_FUNCTION_TIMEOUT_SECONDS } from '../lambdas/auth/oauth/constants';
import type { OAuthConfig } from '../lambdas/auth/oauth/oauthConfig';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../lambdas/contracts/metricNames';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../lambdas/contracts/awsLimits';
import { FUNCTION_BUNDLING } from './functionBundling';
import { POWERTOOLS_SERVICE_NAME, REPO_ROOT } from './ScimFunctions';

/** Bytes of OAUTH_CONFIG JSON a function may carry (Lambda: 4 KB for all its variables together). */
export const MAX_OAUTH_CONFIG_BYTES = 3_072;

/** Props of {@link ScimOAuth}. */
export interface ScimOAuthProps {
  /** The tenant. */
  readonly tenant: string;
  /** The tenant's OAuth configuration (lifetime, federated clients); `enabled` is assumed. */
  readonly config: OAuthConfig;
  /** The token secret holding the OAuth clients' secret hashes: read by the token function. */
  readonly secret: secretsmanager.ISecret;
  /** The authorizer: gets kms:GetPublicKey on the key (never kms:Sign) and OAUTH_* variables. */
  readonly authorizer: lambda.Function;
  /** The discovery function: told that OAuth is on, so /ServiceProviderConfig lists it. */
  readonly discovery: lambda.Function;
  /**
   * Where the alarms notify.
   * @default - no alarm actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Entry file of the token function.
   * @default `lambdas/handlers/token.ts`
   */
  readonly entry?: string;
  /**
   * Retention of the token function's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserved concurrency of the token function: bounds the containers (and so the per-container
   * failure counters) a guesser can spread over. Off by default: 1,000 is the Region's pool for
   * every tenant, and new accounts cannot reserve at all.
   * @default - none
   */
  readonly reservedConcurrency?: number;
  /**
   * X-Ray active tracing.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Load source maps at init (`--enable-source-maps`), like the other functions.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * Refused token requests per 5 minutes that raise the "token endpoint refusing clients" alarm:
   * an IdP with a wrong or revoked secret, or someone guessing.
   * @default 25
   */
  readonly deniedAlarmThreshold?: number;
}

/** Props of {@link createSigningKey}. */
export interface SigningKeyProps {
  readonly description: string;
  /** e.g. `alias/scim-<tenant>-oauth`. */
  readonly alias: string;
  /** The one role the key policy lets kms:Sign (the token function's). */
  readonly signer: iam.IRole;
}

/**
 * The RSA 2048 KMS key that signs access tokens, with an explicit key policy: the account
 * administers the key and may read its public half (kms:Get* includes GetPublicKey, which IAM then
 * grants to the authorizer), but kms:Sign is absent, so no IAM policy can hand it out: only the
 * `signer` role can sign. Retained on stack deletion: deleting it would invalidate every
 * outstanding token at once, and a retained key costs $1 a month. A silo tenant has one
 * (ScimOAuth), a pool one for all its tenants (ScimPoolStack).
 */
export function createSigningKey(scope: Construct, id: string, props: SigningKeyProps): kms.Key {
  const account = Stack.of(scope).account;
  const key = new kms.Key(scope, id, {
    description: props.description,
    keySpec: kms.KeySpec.RSA_2048,
    keyUsage: kms.KeyUsage.SIGN_VERIFY,
    alias: props.alias,
    removalPolicy: RemovalPolicy.RETAIN,
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountAdministersButCannotSign',
          principals: [new iam.AccountRootPrincipal()],
          actions: [
            'kms:Create*',
            'kms:Describe*',
            'kms:Enable*',
            'kms:List*',
            'kms:Put*',
            'kms:Update*',
            'kms:Revoke*',
            'kms:Disable*',
            'kms:Get*',
            'kms:Delete*',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:ScheduleKeyDeletion',
            'kms:CancelKeyDeletion',
          ],
          resources: ['*'],
        }),
      ],
    }),
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyTheTokenFunctionSigns',
      principals: [new iam.ArnPrincipal(props.signer.roleArn)],
      actions: ['kms:Sign'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256', 'aws:PrincipalAccount': account } },
    }),
  );
  return key;
}

/**
 * The OAuth 2.0 side of a tenant (issue 16): the RSA 2048 KMS key that signs access tokens,
 * the token function (the only principal the key policy lets kms:Sign), the authorizer's
 * kms:GetPublicKey, and alarms on the token endpoint's failures. The route itself is ScimApi's.
 */
export class ScimOAuth extends Construct {
  /** The signing key (RSA_2048, SIGN_VERIFY). */
  public readonly key: kms.Key;
  /** The token function behind POST /oauth2/token. */
  public readonly tokenFunction: NodejsFunction;
  /** Alarms by short key (`tokenErrors`, `tokenDenied`, `tokenFunctionErrors`). */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: ScimOAuthProps) {
    super(scope, id);
    // Lambda caps a function's environment at 4 KB: the token function carries the whole OAuth
    // configuration (federated clients included), so a too-long one must fail the synth, not the deploy.
    const configJson = JSON.stringify(props.config);
    if (Buffer.byteLength(configJson) > MAX_OAUTH_CONFIG_BYTES) {
      throw new Error(
        `The OAuth configuration of tenant "${props.tenant}" is ${Buffer.byteLength(configJson)} bytes as JSON; ` +
          `Lambda environment variables allow at most ${MAX_OAUTH_CONFIG_BYTES} for it. Use fewer federated clients or shorter labels and audiences.`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'TokenLogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'TokenRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `SCIM OAuth token function of tenant ${props.tenant}`,
    });
    logGroup.grantWrite(role);

    this.key = createSigningKey(this, 'SigningKey', {
      description: `Signs OAuth access tokens of SCIM tenant ${props.tenant}`,
      alias: `alias/scim-${props.tenant}-oauth`,
      signer: role,
    });

    this.tokenFunction = new NodejsFunction(this, 'TokenFunction', {
      entry: props.entry ?? path.join(REPO_ROOT, 'lambdas', 'handlers', 'token.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: DEFAULT_FUNCTION_MEMORY_MB,
      // Under API Gateway's 29 s; a JWKS fetch is bounded at 3 s, KMS Sign takes milliseconds.
      timeout: Duration.seconds(TOKEN_FUNCTION_TIMEOUT_SECONDS),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrency,
      description: `SCIM OAuth token endpoint (tenant ${props.tenant})`,
      environment: {
        TENANT: props.tenant,
        SECRET_ARN: props.secret.secretArn,
        OAUTH_KEY_ARN: this.key.keyArn,
        OAUTH_CONFIG: configJson,
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
      bundling: { ...FUNCTION_BUNDLING, externalModules: [...FUNCTION_BUNDLING.externalModules] },
    });
    props.secret.grantRead(this.tokenFunction);
    this.key.grant(this.tokenFunction, 'kms:Sign');

    // The authorizer verifies with the public key: one GetPublicKey per container, no signing.
    this.key.grant(props.authorizer, 'kms:GetPublicKey');
    props.authorizer.addEnvironment('OAUTH_KEY_ARN', this.key.keyArn);
    props.authorizer.addEnvironment('OAUTH_CONFIG', JSON.stringify({ enabled: true, federation: props.config.federation }));
    props.discovery.addEnvironment('OAUTH_CONFIG', JSON.stringify({ enabled: true }));

    const action = props.alarmTopic ? new cwActions.SnsAction(props.alarmTopic) : undefined;
    const metric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [METRIC_DIMENSIONS.tenant]: props.tenant },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    const alarms: Record<string, cloudwatch.Alarm> = {};
    const alarm = (key: string, alarmProps: cloudwatch.AlarmProps) => {
      const a = new cloudwatch.Alarm(this, `${key[0].toUpperCase()}${key.slice(1)}Alarm`, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps });
      if (action) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
      alarms[key] = a;
    };
    alarm('tokenErrors', {
      alarmName: `scim-${props.tenant}-oauth-token-errors`,
      alarmDescription: 'The token endpoint could not issue tokens (KMS, the token secret or an issuer JWKS failed): IdPs get 503 and stop syncing within the hour.',
      metric: metric(OAUTH_METRIC.errors),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    alarm('tokenDenied', {
      alarmName: `scim-${props.tenant}-oauth-token-denied`,
      alarmDescription: 'Many token requests were refused (wrong or revoked client secret, bad assertion, or guessing): check the IdP configuration and the source IPs.',
      metric: metric(OAUTH_METRIC.denied),
      threshold: props.deniedAlarmThreshold ?? 25,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    alarm('tokenFunctionErrors', {
      alarmName: `scim-${props.tenant}-oauth-token-function-errors`,
      alarmDescription: 'The token function raised or timed out (it answers errors, it does not raise: a bug or an outage).',
      metric: this.tokenFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarms = alarms;

    NagSuppressions.addResourceSuppressions(this.tokenFunction, [
      {
        id: 'AwsSolutions-L1',
        reason: 'Pinned to nodejs22.x on purpose, like the other functions: esbuild targets node22 and the handlers are tested on it.',
      },
    ]);
    if (props.tracing) {
      NagSuppressions.addResourceSuppressions(
        role,
        [{ id: 'AwsSolutions-IAM5', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions: Resource must be *.', appliesTo: ['Resource::*'] }],
        true,
      );
    }
  }
}
