import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { emptyTokenSecret } from '../lambdas/auth/tokenSecret';

/** Props of {@link ScimSecret}. */
export interface ScimSecretProps {
  /** The tenant whose token hashes the secret holds. */
  readonly tenant: string;
  /**
   * Secret name. The token CLI finds the secret through the stack output `SecretArn`, but a
   * readable tenant-scoped name helps operators in the console.
   * @default `scim/<tenant>/tokens`
   */
  readonly secretName?: string;
  /**
   * Customer-managed KMS key for the secret.
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the secret when the stack is deleted. Retained by default: deleting it would
   * lock out every IdP at once, and a retained secret can be restored by redeploying.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The tenant's bearer-token secret: `{ version, tenant, tokens: [{ id, sha256, scopes, ... }] }`.
 * Only SHA-256 hashes ever go in (written by the token CLI); the authorizer reads it.
 */
export class ScimSecret extends Construct {
  /** The secret. */
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ScimSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName ?? `scim/${props.tenant}/tokens`,
      description: `SCIM bearer token hashes for tenant ${props.tenant} (managed by npm run token)`,
      encryptionKey: props.encryptionKey,
      // unsafePlainText is safe here: the seed is `{"version":1,"tenant":"<t>","tokens":[]}`, no
      // secret material at all, and it must be valid for the authorizer's schema from the first
      // deploy (generateSecretString would produce a random string the authorizer rejects as
      // malformed). Real tokens never pass through CloudFormation: the CLI stores their hashes.
      // The seed depends on the tenant only, so it never changes between deploys and CloudFormation
      // never writes it over the hashes the CLI stored. Keep it (and this resource) that stable.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(emptyTokenSecret(props.tenant))),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Tokens are rotated by the token CLI (npm run token -- rotate), which adds a new hash and later revokes the old one; ' +
          'a Lambda rotation function cannot hand the new token to the IdP, so automatic rotation would only lock it out.',
      },
    ]);
  }
}
