import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

describe('lockDataDir: one process per data folder', () => {
  let dir: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-lock-'));
  });
  afterEach(() => {
    other?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const heldBy = (pid: number, since = new Date(Date.now() - 60_000).toISOString()) =>
    writeFileSync(
      join(dir, 'accord.lock'),
      JSON.stringify({ pid, role: 'server', since, url: 'http://127.0.0.1:3000' }),
    );

  it('is refused while another live process holds it, naming the holder', () => {
    other = spawn('sleep', ['30']);
    heldBy(other.pid!);
    expect(() => lockDataDir(dir, 'cli')).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir, 'cli')).toThrow(`a running Accord server (pid ${other.pid}, http://127.0.0.1:3000)`);
  });

  it('takes over a lock whose holder is gone', () => {
    other = spawn('true');
    const pid = other.pid!;
    heldBy(pid);
    return new Promise<void>((resolve) =>
      other!.on('exit', () => {
        const lock = lockDataDir(dir, 'cli');
        expect(JSON.parse(readFileSync(join(dir, 'accord.lock'), 'utf8'))).toMatchObject({
          pid: process.pid,
          role: 'cli',
        });
        lock.release();
        expect(existsSync(join(dir, 'accord.lock'))).toBe(false);
        resolve();
      }),
    );
  });

  it('records the server URL once known, and frees the folder on release', () => {
    const lock = lockDataDir(dir, 'server');
    lock.describe({ url: 'http://127.0.0.1:4000' });
    expect(JSON.parse(readFileSync(join(dir, 'accord.lock'), 'utf8'))).toMatchObject({ url: 'http://127.0.0.1:4000' });
    lock.release();
    lockDataDir(dir, 'cli').release();
  });

  it('treats a lock file being written this very moment as held', () => {
    writeFileSync(join(dir, 'accord.lock'), '');
    expect(() => lockDataDir(dir, 'cli')).toThrow(DataDirLockedError);
  });

  it('never judges a lock written on another host: its pid means nothing here', () => {
    writeFileSync(
      join(dir, 'accord.lock'),
      JSON.stringify({ pid: 999_999, role: 'server', since: new Date().toISOString(), host: 'another-host' }),
    );
    expect(() => lockDataDir(dir, 'cli')).toThrow('on host another-host');
  });

  it('takes over a lock naming its own pid that it does not hold (a container restarted with the same pid)', () => {
    heldBy(process.pid);
    lockDataDir(dir, 'server').release();
  });

  it('refuses a second open of a folder this very process holds', () => {
    const lock = lockDataDir(dir, 'server');
    expect(() => lockDataDir(dir, 'cli')).toThrow(DataDirLockedError);
    lock.release();
  });

  it('leaves alone, on release, a lock file that another holder has written since', () => {
    const lock = lockDataDir(dir, 'cli');
    other = spawn('sleep', ['30']);
    heldBy(other.pid!);
    lock.release();
    expect(JSON.parse(readFileSync(join(dir, 'accord.lock'), 'utf8'))).toMatchObject({ pid: other.pid });
  });
});
