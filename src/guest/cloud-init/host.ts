// What cloud-init needs from the guest it configures: the root filesystem, the user database, a
// way to run commands and script files as root, and where their output goes.
import type { GuestFiles } from '../guest-files.js';
import type { Sink } from '../shell/types.js';
import type { UserDb } from '../users.js';

export interface CloudInitHost {
  readonly instanceId: string;
  /** The root filesystem (as root). */
  readonly files: GuestFiles;
  readonly users: UserDb;
  /** The image's default user (`ec2-user`, `ubuntu`): what `users: [default]` means. */
  readonly defaultUser: string;
  /** cloud-init's version string on this image (the first word of its log lines). */
  readonly version: string;
  now(): number;
  /** Runs a command line as root (login environment), output to `out`; resolves to its status. */
  runAsRoot(line: string, out: Sink, env?: Record<string, string>): Promise<number>;
  /** Runs an executable file as root, as a subprocess would (through its shebang). */
  runFile(path: string, out: Sink, env?: Record<string, string>): Promise<number>;
}
