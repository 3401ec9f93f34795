/** Log levels, least severe first; SILENT logs nothing (the Powertools names, read from POWERTOOLS_LOG_LEVEL). */
export const LOG_LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, CRITICAL: 50, SILENT: 100 } as const;

/** A level name. */
export type LogLevel = keyof typeof LOG_LEVELS;

/** Options of {@link JsonLogger}. */
export interface JsonLoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  /** Keys of the current request (request id, tenant, token id, operation), added to every line. */
  readonly keys?: () => Readonly<Record<string, unknown>> | undefined;
  /** Where a line goes. @default process.stdout */
  readonly write?: (line: string) => void;
}

/** Powertools' level names are case-insensitive; anything unknown means INFO. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in LOG_LEVELS ? (upper as LogLevel) : 'INFO';
}

/** An Error as a log field (name, message, stack): stacks go to logs, never to clients. */
function serializeError(e: Error): Record<string, unknown> {
  return { name: e.name, message: e.message, stack: e.stack };
}

/**
 * Structured JSON lines in Powertools Logger's shape (`level`, `message`, `timestamp`, `service`,
 * then keys), in ~1 KB instead of Powertools' ~23 KB of bundle. Logs ids, operations and
 * statuses only: never tokens or personal data such as userName or emails.
 */
export class JsonLogger {
  readonly service: string;
  readonly level: LogLevel;
  readonly #keys: JsonLoggerOptions['keys'];
  readonly #write: (line: string) => void;

  constructor(options: JsonLoggerOptions) {
    this.service = options.service;
    this.level = options.level;
    this.#keys = options.keys;
    this.#write = options.write ?? ((line) => process.stdout.write(line));
  }

  /** Whether a line of `level` is written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS[level] >= LOG_LEVELS[this.level] && this.level !== 'SILENT';
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    if (this.enabled('DEBUG')) this.emit('DEBUG', message, extra);
  }

  info(message: string, extra?: Record<string, unknown>): void {
    if (this.enabled('INFO')) this.emit('INFO', message, extra);
  }

  warn(message: string, extra?: Record<string, unknown>): void {
    if (this.enabled('WARN')) this.emit('WARN', message, extra);
  }

  error(message: string, extra?: Record<string, unknown>): void {
    if (this.enabled('ERROR')) this.emit('ERROR', message, extra);
  }

  /** Writes one line whatever the level (the per-request line also carries the EMF metrics). */
  emit(level: LogLevel, message: string, extra?: Record<string, unknown>): void {
    const line: Record<string, unknown> = { level, message, timestamp: new Date().toISOString(), service: this.service, ...this.#keys?.() };
    if (extra) for (const [k, v] of Object.entries(extra)) if (v !== undefined) line[k] = v instanceof Error ? serializeError(v) : v;
    this.#write(`${JSON.stringify(line)}\n`);
  }
}
