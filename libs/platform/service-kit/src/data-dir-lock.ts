import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who holds a data folder: the `npm start` server or an `accord` command. */
export interface DataDirHolder {
  readonly pid: number;
  readonly role: 'server' | 'cli';
  /** ISO-8601 UTC. */
  readonly since: string;
  /** The machine (container) of `pid`: a pid says nothing about a process on another host. */
  readonly host?: string;
  /** The server's base URL, so the message can say which server to stop. */
  readonly url?: string;
  /** Random per lock: release removes the lock file only while it is still this one. */
  readonly token?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
  ) {
    const who =
      holder.role === 'server'
        ? `a running Accord server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`
        : `an accord command (pid ${holder.pid})`;
    const elsewhere =
      holder.host && holder.host !== hostname()
        ? ` on host ${holder.host} (if that host is gone for good, delete ${join(dataDir, LOCK_FILE)})`
        : '';
    super(`The data folder ${dataDir} is in use by ${who}${elsewhere} since ${holder.since}. Stop it first.`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  /** Updates what the lock file says of its holder (the server's URL once it listens). */
  describe(details: Partial<Pick<DataDirHolder, 'url'>>): void;
  release(): void;
}

const LOCK_FILE = 'accord.lock';
/** A lock file younger than this that cannot be read yet is one being written: held. */
const JUST_CREATED_MS = 5_000;
/** Folders this process holds: a second open in the same process is refused, not taken over. */
const HELD_HERE = new Set<string>();

/**
 * PGlite is one PostgreSQL instance in this process: a second process opening the same folder
 * would corrupt it, and PGlite does not refuse. So whoever opens a data folder (the embedded server,
 * an `accord` command) first takes this lock: a file created exclusively, naming its holder. A lock
 * whose holder is gone (same host, no such process) is stale and taken over; a lock from another
 * host (a shared volume) is never judged from here.
 */
export function lockDataDir(dataDir: string, role: DataDirHolder['role']): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  let holder: DataDirHolder = {
    pid: process.pid,
    role,
    since: new Date().toISOString(),
    host: hostname(),
    token: randomBytes(8).toString('hex'),
  };
  acquire(dataDir, path, holder);
  HELD_HERE.add(path);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    HELD_HERE.delete(path);
    process.removeListener('exit', release);
    // Only our own lock: after a takeover race the file may name someone else.
    if (readHolder(readRaw(path))?.token === holder.token) unlinkQuietly(path);
  };
  // A process that exits without closing (Ctrl-C, an uncaught error) still frees the folder.
  process.once('exit', release);
  return {
    describe(details) {
      holder = { ...holder, ...details };
      if (!released) writeLock(path, holder);
    },
    release,
  };
}

function acquire(dataDir: string, path: string, holder: DataDirHolder): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const raw = readRaw(path);
    if (raw === null) continue; // removed meanwhile: try again
    const current = readHolder(raw);
    if (HELD_HERE.has(path)) throw new DataDirLockedError(dataDir, current ?? holder);
    if (current && !isStale(current)) throw new DataDirLockedError(dataDir, current);
    if (!current && Date.now() - mtimeOf(path) < JUST_CREATED_MS)
      throw new DataDirLockedError(dataDir, { pid: 0, role: 'server', since: 'just now' });
    takeOverStale(dataDir, path, raw);
  }
  throw new DataDirLockedError(
    dataDir,
    readHolder(readRaw(path) ?? '') ?? { pid: 0, role: 'server', since: 'just now' },
  );
}

/**
 * Moves the stale lock aside and checks it is still the one judged stale: if another process took
 * it over in between, its fresh lock is put back and the folder is theirs. (Deleting in place would
 * delete their fresh lock, and both would open the folder.)
 */
function takeOverStale(dataDir: string, path: string, staleRaw: string): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readRaw(aside);
  if (moved !== staleRaw) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process locked meanwhile: the folder is held either way
    }
    unlinkQuietly(aside);
    throw new DataDirLockedError(dataDir, readHolder(moved ?? '') ?? { pid: 0, role: 'server', since: 'just now' });
  }
  unlinkQuietly(aside);
}

/** Stale: written on this host by a process that is gone (a pid is meaningless on another host). */
function isStale(holder: DataDirHolder): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return false;
  // Our own pid in a lock we do not hold: a container restarted with the same pid, or a crash.
  return holder.pid === process.pid || !isAlive(holder.pid);
}

function writeLock(path: string, holder: DataDirHolder): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
}

function readRaw(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function readHolder(raw: string | null): DataDirHolder | null {
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<DataDirHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isSafeInteger(parsed.pid) || parsed.pid <= 0) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 300) : undefined);
    return {
      pid: parsed.pid,
      role: parsed.role === 'cli' ? 'cli' : 'server',
      since: text(parsed.since) ?? 'an unknown time',
      ...(text(parsed.host) !== undefined ? { host: text(parsed.host)! } : {}),
      ...(text(parsed.url) !== undefined ? { url: text(parsed.url)! } : {}),
      ...(text(parsed.token) !== undefined ? { token: text(parsed.token)! } : {}),
    };
  } catch {
    return null; // unreadable or half-written
  }
}

/** Signal 0 checks that the process exists; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
