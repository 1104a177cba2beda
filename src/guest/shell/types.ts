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
  /** After the disk grew (ModifyVolume): the partition's and the filesystem's own sizes until grown. */
  partSizeGiB?: number;
  fsSizeGiB?: number;
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
  /** The session's terminal (a PTY), given to the session's top-level IO only; commands reach it as `rt.terminal`. */
  terminal?: Terminal;
}

/** A PTY as full-screen programs (vi, nano, less) see it: its size, and the keyboard in raw mode. */
export interface Terminal {
  /** The current size: the PTY request's, then each window change's. */
  size(): { cols: number; rows: number };
  /** Take the keyboard in raw mode (no echo, no line editing, ^C is a key) until `release()`. */
  raw(): RawKeyboard;
  /** Whether `input` is this terminal (a command's stdin not redirected: `less` alone has no file). */
  isStdin(input: Input): boolean;
}

export type KeyboardEvent = { t: 'data'; data: string } | { t: 'resize' };

export interface RawKeyboard {
  /** The next bytes typed (what was typed ahead first) or window change; null when the session ends or `signal` aborts. */
  next(signal: AbortSignal): Promise<KeyboardEvent | null>;
  /** Give the keyboard back to the line discipline. */
  release(): void;
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
  /** The session's controlling terminal (as /dev/tty), when it has a PTY. */
  terminal?: Terminal;
  /** A full-screen program was used (a key typed): its command line's wall-clock limit starts again. */
  activity(): void;
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
