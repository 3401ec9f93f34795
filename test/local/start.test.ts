import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts `npm start`'s script and resolves once it printed the endpoint and token. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; token: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambdas/local/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no endpoint in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const url = /Tenant URL:\s+(\S+)/.exec(out)?.[1];
      const token = /Secret Token:\s+(\S+)/.exec(out)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolve({ child, url, token, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('npm start', () => {
  it('prints a working endpoint and token, keeps data across a restart, and honours SCIM_LOCAL_TOKEN', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-start-'));
    const first = await start({ PORT: '0', SCIM_DATA_DIR: dataDir });
    const auth = { Authorization: `Bearer ${first.token}`, 'Content-Type': 'application/scim+json' };

    // Act: use the printed URL and token like an admin would
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(first.token).toMatch(/^scim_local_[A-Za-z0-9_-]{43}$/);
    const spc = await fetch(`${first.url}/ServiceProviderConfig`, { headers: auth });
    const created = await fetch(`${first.url}/Users`, { method: 'POST', headers: auth, body: JSON.stringify({ userName: 'persisted@example.com' }) });
    const { id } = (await created.json()) as { id: string };
    expect(await stop(first.child)).toBe(130); // Ctrl-C, by the shell's convention

    const second = await start({ PORT: '0', SCIM_DATA_DIR: dataDir, SCIM_LOCAL_TOKEN: first.token });
    const again = await fetch(`${second.url}/Users/${id}`, { headers: auth });
    await stop(second.child);

    // Assess
    expect(spc.status).toBe(200);
    expect(created.status).toBe(201);
    expect(second.token).toBe(first.token);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { userName: string }).userName).toBe('persisted@example.com');
  }, 120_000);

  it('runs two local servers side by side, each with its own DynamoDB Local and token', async () => {
    // Prepare
    const [a, b] = await Promise.all([
      start({ PORT: '0', SCIM_DATA_DIR: mkdtempSync(join(tmpdir(), 'scim-start-a-')) }),
      start({ PORT: '0', SCIM_DATA_DIR: mkdtempSync(join(tmpdir(), 'scim-start-b-')) }),
    ]);
    const get = (url: string, token: string) => fetch(`${url}/Users`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    try {
      // Act + Assess: both answer their own token, neither accepts the other's
      expect(a.url).not.toBe(b.url);
      expect(await get(a.url, a.token)).toBe(200);
      expect(await get(b.url, b.token)).toBe(200);
      expect(await get(a.url, b.token)).toBe(401);
    } finally {
      await Promise.all([stop(a.child), stop(b.child)]);
    }
  }, 120_000);

  it('refuses a SCIM_LOCAL_TOKEN that is not a token of ours with a one-line error', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-start-'));
    await expect(start({ PORT: '0', SCIM_DATA_DIR: dataDir, SCIM_LOCAL_TOKEN: 'hunter2' })).rejects.toThrow(/exited with 1:[\s\S]*scim_local_/);
  }, 120_000);
});
