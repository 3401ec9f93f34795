import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal, type DynamoLocal } from '../../lambdas/local/dynamoLocal';
import { createDynamoClients } from '../../lambdas/store';
import { createTable } from '../../lambdas/store/createTable';

/** Resolves true when a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Every file below dir, recursively. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...filesBelow(join(dir, e.name))] : [join(dir, e.name)]));
}

describe('DynamoDB Local as npm start runs it', () => {
  let dynamo: DynamoLocal;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'scim-ddbl-')), 'dynamodb');
    dynamo = await startDynamoLocal({ dataDir });
    const { client, doc } = createDynamoClients({ endpoint: dynamo.endpoint });
    await createTable(client, 'exposure');
    await doc.send(new PutCommand({ TableName: 'exposure', Item: { PK: 'USER#1', SK: 'META', password: '$scrypt$hash' } }));
    client.destroy();
  }, 90_000);
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('accepts connections on loopback only, not on the machine\'s other addresses', async () => {
    // Prepare
    const external = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    expect(external.length, 'this test needs a non-loopback IPv4 address').toBeGreaterThan(0);
    // Act
    const onLoopback = await accepts('127.0.0.1', dynamo.port);
    const elsewhere = await Promise.all(external.map((a) => accepts(a, dynamo.port)));
    // Assess
    expect(onLoopback).toBe(true);
    expect(elsewhere).toEqual(external.map(() => false));
  });

  it('runs Java with -disableTelemetry', () => {
    // Act: the command lines of the Java processes serving this port
    const lines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('java ') && l.includes(`-port ${dynamo.port}`));
    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('-disableTelemetry');
  });

  it('keeps its files readable by their owner only', () => {
    // Act
    const files = filesBelow(dataDir);
    // Assess
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((statSync(f).mode & 0o077).toString(8), f).toBe('0');
    expect((statSync(dataDir).mode & 0o077).toString(8)).toBe('0');
  });
});
