import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ConcurrentModificationError, SecretUnavailableError } from './errors';
import type { SecretSnapshot, SecretSource } from './SecretSource';

/** Options of SecretsManagerSecretSource. */
export interface SecretsManagerSecretSourceOptions {
  /** The client, created once per container (or per CLI run) and injected so tests can mock it. */
  readonly client: SecretsManagerClient;
  /** The secret's ARN or name. */
  readonly secretId: string;
}

/**
 * The token secret in AWS Secrets Manager.
 *
 * Lost updates: Secrets Manager has no conditional put. `write` re-reads the current VersionId
 * just before PutSecretValue and refuses when it moved, which narrows the race between two
 * operators to the milliseconds between that read and the put; within them the last writer wins.
 * The CLI is run by hand and rarely, so that residue is accepted. ClientRequestToken makes the
 * SDK's own retries of one put idempotent rather than creating several versions.
 */
export class SecretsManagerSecretSource implements SecretSource {
  readonly description: string;
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;

  constructor(options: SecretsManagerSecretSourceOptions) {
    this.#client = options.client;
    this.#secretId = options.secretId;
    this.description = `Secrets Manager secret ${options.secretId}`;
  }

  async read(): Promise<SecretSnapshot> {
    try {
      const out = await this.#client.send(new GetSecretValueCommand({ SecretId: this.#secretId }));
      return { text: out.SecretString, versionId: out.VersionId };
    } catch (e) {
      // A secret created without a value has no AWSCURRENT version yet: that is "no tokens", but
      // only when the secret itself exists, which the error message cannot tell apart reliably;
      // so a missing secret is an error (fail closed) and the CDK stack seeds an empty value.
      if (e instanceof ResourceNotFoundException) {
        throw new SecretUnavailableError(`secret not found: ${this.#secretId}`, { cause: e });
      }
      throw new SecretUnavailableError(`cannot read ${this.description}: ${errorName(e)}`, { cause: e });
    }
  }

  async write(text: string, expectedVersionId: string | undefined): Promise<void> {
    const current = await this.read();
    if (current.versionId !== expectedVersionId) {
      throw new ConcurrentModificationError(`${this.description} changed since it was read; run the command again`);
    }
    try {
      await this.#client.send(
        new PutSecretValueCommand({ SecretId: this.#secretId, SecretString: text, ClientRequestToken: randomUUID() }),
      );
    } catch (e) {
      throw new SecretUnavailableError(`cannot write ${this.description}: ${errorName(e)}`, { cause: e });
    }
  }
}

/** The AWS error name (ThrottlingException, AccessDeniedException...) without any payload. */
function errorName(e: unknown): string {
  return e instanceof Error ? e.name : 'unknown error';
}
