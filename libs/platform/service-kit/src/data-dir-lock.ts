import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a data folder: the `npm start` server or an `accord` command. */
export interface DataDirHolder {
  readonly pid: number;
  readonly role: 'server' | 'cli';
  /** ISO-8601 UTC. */
  readonly since: string;
  /** The server's base URL, so the message can say which server to stop. */
  readonly url?: string;
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
    super(`The data folder ${dataDir} is in use by ${who} since ${holder.since}. Stop it first.`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  /** Updates what the lock file says of its holder (the server's URL once it listens). */
  describe(details: Partial<Pick<DataDirHolder, 'url'>>): void;
  release(): void;
}

const LOCK_FILE = 'accord.lock';
const JUST_CREATED_MS = 5_000;

/**
 * PGlite is one PostgreSQL instance in this process: a second process opening the same folder
 * would corrupt it, and PGlite does not refuse. So whoever opens a data folder (the embedded server,
 * an `accord` command) first takes this lock: a file created exclusively, naming its holder. A lock
 * left by a process that died is stale and taken over.
 */
export function lockDataDir(dataDir: string, role: DataDirHolder['role']): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  let holder: DataDirHolder = { pid: process.pid, role, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const current = readHolder(path);
      if (current && current.pid !== process.pid && isAlive(current.pid))
        throw new DataDirLockedError(dataDir, current);
      // A file that cannot be read yet may be one another process is writing this very moment.
      if (!current && Date.now() - statSync(path).mtimeMs < JUST_CREATED_MS)
        throw new DataDirLockedError(dataDir, { pid: 0, role: 'server', since: 'just now' });
      unlinkSync(path); // stale: its holder is gone
    }
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
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

function writeLock(path: string, holder: DataDirHolder): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
}

function readHolder(path: string): DataDirHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DataDirHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isSafeInteger(parsed.pid) || parsed.pid <= 0) return null;
    return {
      pid: parsed.pid,
      role: parsed.role === 'cli' ? 'cli' : 'server',
      since: typeof parsed.since === 'string' ? parsed.since : 'an unknown time',
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
    };
  } catch {
    return null; // unreadable or half-written: treated as stale
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
