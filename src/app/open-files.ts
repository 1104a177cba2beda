// The process's open-files limit. Every running instance holds one listening socket (its own
// 127.x.y.z address) and one more per SSH connection, so this bounds how many can run. Node raises
// its soft limit to the hard limit at start-up; beyond that the hard limit must be raised by whoever
// starts the server (`ulimit -Hn`, systemd `LimitNOFILE=`, `docker run --ulimit nofile=…`).
import { readFileSync } from 'node:fs';

/** The soft RLIMIT_NOFILE (Linux: /proc/self/limits), or undefined where it cannot be read. */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
    const n = Number(soft);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Descriptors kept back for the database, the API listener and its clients. */
export const RESERVED_FILES = 256;
