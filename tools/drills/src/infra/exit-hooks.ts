/**
 * Last-resort cleanup when the drill process ends without calling destroy/stop/close (an uncaught
 * error, Ctrl-C, `process.exit`): each resource registers a SYNCHRONOUS hook (kill a pid, `pg_ctl
 * stop -m immediate` through spawnSync, remove a directory) that runs once on 'exit' and on
 * SIGINT/SIGTERM/SIGHUP. Nothing can run on SIGKILL of the drill process itself: then the servers
 * outlive it (their directories are under the OS temp dir, named `accord-drill-*`).
 */
type Hook = () => void;

const hooks = new Set<Hook>();
let installed = false;

function runAll(): void {
  for (const hook of [...hooks].reverse()) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // best effort: the next hook still runs
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      runAll();
      process.removeListener(signal, onSignal);
      // Nobody else handles the signal: die of it, as the process would have without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Registers `hook`; the returned function unregisters it (call it once the resource is gone). */
export function onExit(hook: Hook): () => void {
  install();
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
