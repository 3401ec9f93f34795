import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConcurrentModificationError, SecretUnavailableError } from './errors';
import type { SecretSnapshot, SecretSource } from './SecretSource';

/** File name of the local token secret inside the local data dir. */
export const LOCAL_TOKENS_FILE = 'tokens.json';

/** The local token secret's path in `dataDir`. */
export function localTokensPath(dataDir: string): string {
  return join(dataDir, LOCAL_TOKENS_FILE);
}

/**
 * The token secret as a JSON file, for `npm start` and `npm run token -- --local <dataDir>`.
 * Every `read` goes to the file (the authorizer's cache bounds how often), so a token created or
 * revoked by the CLI takes effect on a running local server without a restart.
 */
export class LocalFileSecretSource implements SecretSource {
  readonly description: string;

  /** `filePath`: the JSON file, e.g. `localTokensPath(dataDir)`; created on first write. */
  constructor(readonly filePath: string) {
    this.description = `local token file ${filePath}`;
  }

  /** The source for the tokens file in a local data dir. */
  static inDataDir(dataDir: string): LocalFileSecretSource {
    return new LocalFileSecretSource(localTokensPath(dataDir));
  }

  async read(): Promise<SecretSnapshot> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined, versionId: undefined };
      throw new SecretUnavailableError(`cannot read ${this.description}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { cause: e });
    }
    return { text, versionId: createHash('sha256').update(text).digest('hex') };
  }

  async write(text: string, expectedVersionId: string | undefined): Promise<void> {
    const current = await this.read();
    if (current.versionId !== expectedVersionId) {
      throw new ConcurrentModificationError(`${this.description} changed since it was read; run the command again`);
    }
    await mkdir(dirname(this.filePath), { recursive: true, mode: 0o700 });
    // Write a 0600 temp file then rename: readers never see a half-written file, and the hashes
    // are never world-readable, not even for an instant.
    const tmp = `${this.filePath}.${randomUUID()}.tmp`;
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await rename(tmp, this.filePath);
  }
}
