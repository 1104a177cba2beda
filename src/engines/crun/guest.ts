// One real instance: a process tree run by crun in its own user, pid, mount, uts, ipc, net and
// cgroup namespaces, on an overlay of the shared image (lower) and its root volume's directory
// (upper), with user-mode networking by slirp4netns. Started as
//
//   setpriv --pdeathsig KILL  unshare -m (private)  sh: [umount cgroup2 quirk] mount overlay; exec crun run
//
// so that the overlay mount lives only in that throw-away mount namespace (gone when crun exits,
// never visible on the host), crun run stays this server's child (a 1 MB monitor that exits with
// the instance), and the server dying for any reason (kill -9 included) kills crun, whose PID 1 (tini
// with -p SIGKILL) takes the whole instance with it. Leftovers (an empty cgroup, crun's state file)
// are removed by CrunEngine at the next start.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BlockDevices } from './block-devices.js';
import type { RootReader } from './root-reader.js';
import { execProcess } from './oci.js';
import { GUEST_UID_BASE } from './images.js';
import { waitLoopFree } from './volume-disk.js';

const run = promisify(execFile);

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  groups: number[];
}

export type AuthorizedKeys = { ok: true; user: PasswdEntry; lines: string[] } | { ok: false; reason: string };

export interface ExecRequest {
  user: PasswdEntry;
  args: string[];
  env: Record<string, string>;
  /** A pty of this size (rows, cols): the process gets a real terminal; resize via `resize`. */
  pty?: { rows: number; cols: number; term: string };
  /** Its working directory (default /; sessions pass the home when it exists: `isDirectory`). */
  cwd?: string;
}

/** What `stat` answers: the owner as a guest uid, the permission bits, directory, regular file or other. */
export interface GuestStat {
  uid: number;
  mode: number;
  type: 'd' | 'f' | 'o';
}

export interface GuestProcess {
  readonly child: ChildProcess;
  /** Sets the pty's window size (the guest's foreground process group gets SIGWINCH). */
  resize(rows: number, cols: number): void;
  /** Sends a signal to the guest process (not to crun). */
  signal(name: NodeJS.Signals): void;
}

export interface CrunGuestParts {
  instanceId: string;
  crunRoot: string;
  bundle: string;
  helper: string;
  /** Reads files inside instances (root-reader.ts). */
  reader: RootReader;
  monitor: ChildProcess;
  pid: number;
  capabilities: string[];
  log: (line: string) => void;
  /** PID 1 is the image's systemd (serve --real-init systemd), not a reaper. */
  systemd?: boolean;
}

/** systemd halts on SIGRTMIN+3 (its SIGTERM means re-execute itself): 34 + 3 on Linux. */
const SYSTEMD_HALT = '37';

let execSeq = 0;

export class CrunGuest {
  readonly instanceId: string;
  readonly pid: number;
  /** PID 1 is systemd: it runs cloud-init's units and halts on SIGRTMIN+3. */
  readonly systemd: boolean;
  /** Its block devices (volumes attached while it runs), set by the engine once it runs. */
  blocks?: BlockDevices;
  private readonly extras: ChildProcess[] = [];
  /** The image's cloud-init run, loaded at PID 1's start and waiting for the engine's word (engine.ts). */
  preparedCloudInit?: PreparedCloudInit;
  /** Its volumes' disk files (root and attached): a stop ends when no loop device holds them any more. */
  readonly disks = new Set<string>();
  private stopped = false;
  /** Resolves when crun run (and so the instance) has exited. */
  readonly exited: Promise<number | null>;

  constructor(private readonly p: CrunGuestParts) {
    this.instanceId = p.instanceId;
    this.pid = p.pid;
    this.systemd = p.systemd ?? false;
    this.exited = new Promise((resolve) => {
      if (p.monitor.exitCode !== null) resolve(p.monitor.exitCode);
      else p.monitor.once('exit', (code) => resolve(code));
    });
  }

  /**
   * A regular file inside the instance (its last `maxBytes`), resolved within the instance's root
   * by the helper (openat2 RESOLVE_IN_ROOT: `/etc/motd -> /etc/shadow` stays the guest's own
   * /etc/shadow); undefined when absent or not a regular file. Never read a guest path through
   * /proc/<pid>/root from here: an absolute symlink there resolves against the host's root.
   */
  readFile(rel: string, maxBytes = 1024 * 1024): Promise<Buffer | undefined> {
    return this.p.reader.read(this.pid, `/${rel.replace(/^\/+/, '')}`, maxBytes);
  }

  /** Owner (guest uid), mode and type of paths inside the instance, resolved as readFile does. */
  async stat(rels: string[]): Promise<(GuestStat | undefined)[]> {
    const all = await Promise.all(rels.map((r) => this.p.reader.stat(this.pid, `/${r.replace(/^\/+/, '')}`)));
    return all.map((st) => st && { uid: st.uid - GUEST_UID_BASE, mode: st.mode, type: st.type });
  }

  async isDirectory(rel: string): Promise<boolean> {
    return (await this.stat([rel]))[0]?.type === 'd';
  }

  /** Keeps a helper process (slirp4netns, cloud-init run) to be ended with the instance. */
  own(child: ChildProcess): void {
    this.extras.push(child);
  }

  /** Whether stop() was called (an exit before that is the guest's own: poweroff, or a crash). */
  get stopRequested(): boolean {
    return this.stopped;
  }

  get running(): boolean {
    return !this.stopped && this.p.monitor.exitCode === null && this.p.monitor.signalCode === null;
  }

  /** The user's passwd entry and groups, from the instance's own /etc/passwd and /etc/group. */
  async user(name: string): Promise<PasswdEntry | undefined> {
    const [passwdFile, groupFile] = await Promise.all([this.readFile('etc/passwd'), this.readFile('etc/group')]);
    if (!passwdFile || !groupFile) return undefined;
    const passwd = passwdFile.toString('utf8');
    const group = groupFile.toString('utf8');
    const row = passwd.split('\n').map((l) => l.split(':')).find((r) => r[0] === name && r.length >= 7);
    if (!row) return undefined;
    const gid = Number(row[3]);
    const groups = group
      .split('\n')
      .map((l) => l.split(':'))
      .filter((g) => g.length >= 4 && (Number(g[2]) === gid || (g[3] ?? '').split(',').includes(name)))
      .map((g) => Number(g[2]));
    return { name, uid: Number(row[2]), gid, home: row[5] || '/', shell: row[6] || '/bin/sh', groups: [...new Set(groups)] };
  }

  /**
   * The user's authorized_keys lines under OpenSSH's StrictModes, on the real files: the file and
   * each directory up to the home must be owned by the user or root and not group/other-writable.
   */
  async authorizedKeys(userName: string): Promise<AuthorizedKeys> {
    const user = await this.user(userName);
    if (!user) return { ok: false, reason: `Invalid user ${userName}` };
    const file = `${user.home.replace(/\/+$/, '')}/.ssh/authorized_keys`;
    const bad = (st: GuestStat) => (st.uid !== 0 && st.uid !== user.uid) || (st.mode & 0o022) !== 0;
    // the file, then each directory up to the home (or /)
    const dirs: string[] = [];
    for (let dir = file.slice(0, file.lastIndexOf('/')); ; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      dirs.push(dir || '/');
      if (dir === user.home || dir === '' || dir === '/') break;
    }
    const [st, ...dirStats] = await this.stat([file, ...dirs]);
    if (!st) return { ok: false, reason: `Could not open user '${userName}' authorized keys '${file}': No such file or directory` };
    if (st.type !== 'f') return { ok: false, reason: `${file} is not a regular file` };
    if (bad(st)) return { ok: false, reason: `Authentication refused: bad ownership or modes for file ${file}` };
    for (const [i, ds] of dirStats.entries()) {
      if (ds && bad(ds)) return { ok: false, reason: `Authentication refused: bad ownership or modes for directory ${dirs[i]}` };
    }
    const content = await this.readFile(file);
    if (!content) return { ok: false, reason: `Could not open user '${userName}' authorized keys '${file}': No such file or directory` };
    return { ok: true, user, lines: content.toString('utf8').split('\n') };
  }

  /**
   * A command as the guest's root inside the instance (every namespace, its cgroup and seccomp
   * profile: crun exec), `input` on its stdin; resolves when it has ended, whatever its status.
   */
  asRoot(args: string[], input?: Buffer): Promise<void> {
    const p = this.exec({ user: { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh', groups: [0] }, args, env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
    p.child.stdout?.resume();
    p.child.stderr?.resume();
    p.child.stdin?.on('error', () => undefined);
    p.child.stdin?.end(input);
    return new Promise((resolve) => {
      p.child.once('exit', () => resolve());
      p.child.once('error', () => resolve());
    });
  }

  /** Starts a process in the instance as `user` (crun exec: its namespaces, its cgroup, its limits). */
  exec(r: ExecRequest): GuestProcess {
    const env = Object.entries(r.env).map(([k, v]) => `${k}=${v}`);
    const spec = execProcess({
      uid: r.user.uid,
      gid: r.user.gid,
      groups: r.user.groups.filter((g) => g !== r.user.gid),
      cwd: r.cwd ?? '/',
      env,
      args: r.args,
      terminal: !!r.pty,
      capabilities: this.p.capabilities,
    });
    const file = join(this.p.bundle, `exec-${process.pid}-${++execSeq}.json`);
    writeFileSync(file, JSON.stringify(spec));
    const crun = ['crun', '--root', this.p.crunRoot, 'exec', ...(r.pty ? ['-t', '--console-socket', '{SOCK}'] : []), '-p', file, this.instanceId];
    const child = r.pty
      ? spawn(this.p.helper, ['ptyrelay', String(r.pty.rows), String(r.pty.cols), '--', ...crun], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] })
      : spawn(crun[0]!, crun.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    child.once('exit', () => rmSync(file, { force: true }));
    child.once('error', () => rmSync(file, { force: true }));
    const control = r.pty ? (child.stdio[3] as NodeJS.WritableStream | null) : null;
    return {
      child,
      resize: (rows, cols) => {
        control?.write(`${rows} ${cols}\n`);
      },
      signal: (name) => this.signalChildren(child.pid, name),
    };
  }

  /** The guest process is crun exec's child (or the relay's grandchild): signal the deepest ones. */
  private signalChildren(pid: number | undefined, name: NodeJS.Signals): void {
    if (!pid) return;
    const kids = childrenOf(pid);
    if (kids.length === 0) {
      try {
        process.kill(pid, name);
      } catch {
        // gone
      }
      return;
    }
    for (const k of kids) this.signalChildren(k, name);
  }

  /** Stop: SIGTERM to PID 1 (systemd: SIGRTMIN+3, a halt), everything in the instance ends with it; SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.p.monitor.exitCode === null && this.p.monitor.signalCode === null) {
      await run('crun', ['--root', this.p.crunRoot, 'kill', this.instanceId, this.systemd ? SYSTEMD_HALT : 'TERM']).catch(() => undefined);
      const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        await run('crun', ['--root', this.p.crunRoot, 'kill', this.instanceId, 'KILL']).catch(() => undefined);
        await Promise.race([this.exited, sleep(5000)]);
        if (this.p.monitor.exitCode === null) this.p.monitor.kill('SIGKILL');
      }
    }
    for (const c of this.extras) if (c.exitCode === null) c.kill('SIGKILL');
    await run('crun', ['--root', this.p.crunRoot, 'delete', '-f', this.instanceId]).catch(() => undefined);
    rmSync(this.p.bundle, { recursive: true, force: true });
    // The namespaces that mounted the disks are gone with their processes; their loop devices follow.
    for (const d of this.disks) if (!(await waitLoopFree(d))) this.p.log(`instance ${this.instanceId}: ${d} is still on a loop device after stop`);
  }
}

/** A cloud-init run whose stages wait for the word (engine.prepareCloudInit). */
export interface PreparedCloudInit {
  /** Lets the stages run (the instance's network, devices and metadata service are there). */
  go(): void;
  /** The init (network) stage has ended, or the run has. */
  initDone: Promise<void>;
}

export function childrenOf(pid: number): number[] {
  try {
    const out: number[] = [];
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    for (const t of tasks.trim().split(/\s+/).filter(Boolean)) out.push(Number(t));
    return out;
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ensureDir(p: string, mode = 0o755): string {
  mkdirSync(p, { recursive: true, mode });
  return p;
}
