/** The raw secret text and an opaque version used to detect concurrent writes. */
export interface SecretSnapshot {
  /** The secret's text; undefined when the secret has no value yet (treated as no tokens). */
  readonly text: string | undefined;
  /** Opaque version of what was read (Secrets Manager VersionId, a file content hash). */
  readonly versionId: string | undefined;
}

/**
 * Where the token secret lives: Secrets Manager in AWS, a JSON file for `npm start`. Only moves
 * text; parsing and validation happen above (tokenSecret.ts), so both sources behave the same.
 */
export interface SecretSource {
  /** Human-readable location for messages (never the content). */
  readonly description: string;
  /** Reads the current secret. Throws SecretUnavailableError when the store cannot be reached. */
  read(): Promise<SecretSnapshot>;
  /**
   * Replaces the secret with `text`, failing with ConcurrentModificationError when the current
   * version is no longer `expectedVersionId` (read-modify-write by the token CLI).
   */
  write(text: string, expectedVersionId: string | undefined): Promise<void>;
}
