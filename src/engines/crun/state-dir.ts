// Where a server keeps its real instances' host state (crun's state, bundles, volume bytes; the
// socket names derive from it): a directory no other live server uses. At start a server clears
// what a killed run left in its directory (crun state, cgroups, loop devices), so two servers
// sharing one would end each other's instances — as two test processes with the default data
// directory once did. Ownership is a file naming the process (pid and start time, so a reused pid
// is not mistaken for the owner).
//
//   <base>/                      a SQLite-file server: its instances resume from here after a restart
//   <base>/runs/ephemeral-<…>/   an --ephemeral server: removed at close (nothing outlives it)
//   <base>/runs/node-<node id>/  a PostgreSQL node: each process is a new node (docs/scaling.md)
//
// A run directory whose owner died is handed back as stale: its leftovers are cleared by the
// engine, and an ephemeral one is then removed. A node's volume bytes stay (pinned instances wait
// for their node; today a PostgreSQL node id does not come back, docs/real-instances.md).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type StateDirKind = { kind: 'persistent' } | { kind: 'ephemeral' } | { kind: 'node'; nodeId: string };

export interface StateDirClaim {
  /** The directory this server owns. */
  readonly dir: string;
  /** Run directories whose owner is dead: their leftovers are to be cleared (`removeAfter`: then the directory goes). */
  readonly stale: readonly { dir: string; removeAfter: boolean }[];
  /** Gives the directory up (an ephemeral one is removed with its contents). */
  release(): void;
}

export class StateDirInUseError extends Error {}

const OWNER = 'owner';

/** This process as an owner line: pid and its start time in clock ticks since boot (/proc/<pid>/stat field 22). */
export function ownerLine(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: fields after its last ')'
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start ? `${pid} ${start}` : undefined;
  } catch {
    return undefined;
  }
}

/** The live process that owns `dir`, or undefined (no owner file, or its process is gone). */
function liveOwner(dir: string): number | undefined {
  let line: string;
  try {
    line = readFileSync(join(dir, OWNER), 'utf8').trim();
  } catch {
    return undefined;
  }
  const pid = Number(line.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return ownerLine(pid) === line ? pid : undefined;
}

export function claimStateDir(base: string, how: StateDirKind): StateDirClaim {
  const me = ownerLine(process.pid) ?? `${process.pid} 0`;
  const runs = join(base, 'runs');
  const dir = how.kind === 'persistent' ? base : join(runs, how.kind === 'ephemeral' ? `ephemeral-${process.pid}-${randomBytes(3).toString('hex')}` : `node-${how.nodeId}`);
  if (how.kind === 'ephemeral') {
    // Made under a hidden name with its owner inside, then renamed: another server's start-up scan
    // never sees it without an owner (and so never takes it for a dead run's).
    mkdirSync(runs, { recursive: true, mode: 0o700 });
    const making = join(runs, `.making-${process.pid}-${randomBytes(3).toString('hex')}`);
    mkdirSync(making, { mode: 0o700 });
    writeFileSync(join(making, OWNER), `${me}\n`, { mode: 0o600 });
    renameSync(making, dir);
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const holder = liveOwner(dir);
    if (holder !== undefined && holder !== process.pid) {
      throw new StateDirInUseError(`another ec2lite server (pid ${holder}) runs real instances from ${dir}: one data directory serves one server (give this one its own --data-dir, or --ephemeral)`);
    }
    writeFileSync(join(dir, OWNER), `${me}\n`, { mode: 0o600 });
  }
  const stale: { dir: string; removeAfter: boolean }[] = [];
  for (const name of existsSync(runs) ? readdirSync(runs) : []) {
    const d = join(runs, name);
    // (a directory still being made: its owner is inside before it gets its name)
    if (d === dir || name.startsWith('.making-') || liveOwner(d) !== undefined) continue;
    stale.push({ dir: d, removeAfter: name.startsWith('ephemeral-') });
  }
  return {
    dir,
    stale,
    release() {
      if (liveOwner(dir) !== process.pid) return;
      if (how.kind === 'ephemeral') rmSync(dir, { recursive: true, force: true });
      else rmSync(join(dir, OWNER), { force: true });
    },
  };
}
