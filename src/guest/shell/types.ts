// What a guest command sees: the "process" it runs as (user, credentials,
// cwd, environment), its three streams, and the simulated system (filesystem,
// users, block devices, metadata service). Nothing here reaches the host.
import type { Cred, Vfs } from '../fs/vfs.js';
import type { Volume } from '../fs/volume.js';
import type { MetadataService } from '../imds.js';
import type { PasswdEntry, UserDb } from '../users.js';
import type { Input, Sink } from './streams.js';

export type { Sink };

export interface Proc {
  user: PasswdEntry;
  cred: Cred;
  cwd: string;
  env: Map<string, string>;
  umask: number;
  /** Login shell frames print "logout" and use "-bash" as $0. */
  login: boolean;
}

export interface BlockDevice {
  volumeId: string;
  /** The device name given to AttachVolume / the image's root device: /dev/sdf, /dev/xvda, /dev/sda1. */
  apiDevice: string;
  /** The name the guest kernel shows: xvdf (with partition xvdf1 when partitioned). */
  kernelName: string;
  volume: Volume;
  sizeGiB: number;
  isRoot: boolean;
}

export interface GuestSystem {
  vfs: Vfs;
  users: UserDb;
  imds: MetadataService;
  hostname(): string;
  devices(): BlockDevice[];
  prompt: 'rhel' | 'debian';
  now(): number;
  /** Paths that are some session's cwd (umount refuses "target is busy"). */
  busyPaths(): string[];
}


export interface IO {
  /** stdin: read on demand (`input.readAll()` waits for EOF). */
  input: Input;
  out: Sink;
  err: Sink;
  /** Whether stdout is the session's terminal (ls columns, sudo prompts). */
  tty: boolean;
}

export interface Runtime {
  /** Run argv (no shell parsing) as `proc` with the given streams (sudo, env, xargs, find -exec). `timeoutMs`: killed after that, status 124 (timeout). */
  runArgv(proc: Proc, argv: string[], io: IO, opts?: { timeoutMs?: number }): Promise<number>;
  /** Run a command line as `proc` (su -c, sudo -s 'cmd'). */
  runScript(proc: Proc, script: string, io: IO): Promise<number>;
  /** Start a nested shell as `proc` (su -, sudo -i): interactive sessions push a frame, others read the script from stdin. */
  enterShell(proc: Proc, io: IO): Promise<number>;
  /** A new process state for `user` (login: cwd at home, fresh environment). */
  procFor(user: PasswdEntry, from: Proc, login: boolean): Proc;
  /** Whether `name` is a program of this guest (a command, a shell, an executable file on PATH). */
  hasCommand(name: string, proc?: Proc): boolean;
  /** Call in long loops: yields to the event loop, enforces the CPU budget, throws when the command is killed. */
  tick(): Promise<void>;
  /** Call after waiting on a timer (sleep), so the wait is not charged as CPU time; never in a loop (it would keep it from yielding). */
  resumed(): void;
  signal: AbortSignal;
  interactive: boolean;
}

export interface CommandContext {
  name: string;
  args: string[];
  proc: Proc;
  io: IO;
  sys: GuestSystem;
  rt: Runtime;
}

export type Command = (ctx: CommandContext) => Promise<number> | number;

/** Thrown by `exit`. */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** Thrown when a command line exceeds its output or time limit. */
export class LimitError extends Error {}
