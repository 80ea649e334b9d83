import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Which process owns a TCP connection, from /proc alone (no `ss`/`lsof` needed): the connection's
 * socket inode from /proc/net/tcp{,6} (matched by local and remote port, as PostgreSQL reports the
 * client's port in pg_stat_activity.client_port), then the candidate process whose /proc/<pid>/fd
 * holds `socket:[inode]`. Linux only; the candidates must be ours (or we are root).
 */
export function tcpSocketInode(localPort: number, remotePort: number): number | null {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const local = parseInt((fields[1] ?? '').split(':')[1] ?? '', 16);
      const remote = parseInt((fields[2] ?? '').split(':')[1] ?? '', 16);
      const inode = Number(fields[9]);
      if (local === localPort && remote === remotePort && inode > 0) return inode;
    }
  }
  return null;
}

/** The pid among `pids` holding socket `inode` open, or null. */
export function pidOwningSocket(inode: number, pids: readonly number[]): number | null {
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited meanwhile
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
