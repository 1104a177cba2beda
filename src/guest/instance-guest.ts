// One running simulated guest (the simulated engine, simulated-engine.ts, wraps it behind the
// engine port). It loads the root volume from the VolumeStore (or lays it out from the image's
// root filesystem at first launch), runs first boot, runs commands as users, attaches/detaches
// extra volumes, answers metadata, opens the shell sessions SSH runs (ssh/sessions.ts), and
// saves every volume a command changed before that command's result is returned (so it
// survives a server restart).
import { isSimulatedProgram, simulatedMessage } from './shell/commands/simulated.js';
import { type AuthorizedKeys, authorizedKeysOf } from './authorized-keys.js';
import { type GuestFiles, vfsFiles } from './guest-files.js';
import { ROOT_CRED, Vfs } from './fs/vfs.js';
import { DEFAULT_FS_LIMITS, type FsLimits, Volume } from './fs/volume.js';
import type { VolumeStore } from './fs/volume-store.js';
import { firstBoot } from './first-boot.js';
import { type CloudInitOutcome, impairedBoot, runCloudInit } from './cloud-init/cloud-init.js';
import { cloudInitVersion } from './cloud-init/command.js';
import { shellQuote } from './cloud-init/cloud-config.js';
import type { CloudInitHost } from './cloud-init/host.js';
import type { ImageTemplate } from './images.js';
import { type InstanceMetadata, type MetadataOptions, MetadataService } from './imds.js';
import { isNitroType, newDiskName, partitionName, xenDiskName } from './block-device-names.js';
import { type ShellLimits, Shell, newProc } from './shell/interpreter.js';
import { setShellOption } from './shell/process.js';
import { Input } from './shell/streams.js';
import type { BlockDevice, GuestSystem, IO, Sink } from './shell/types.js';
import { UserDb } from './users.js';

export interface GuestLimits {
  fs: FsLimits;
  shell: Partial<ShellLimits>;
}

export interface InstanceGuestOptions {
  instanceId: string;
  image: ImageTemplate;
  /** The root volume: loaded from `volumes` if saved before, else created from the image. */
  rootVolume: { volumeId: string; sizeGiB?: number; device?: string };
  /** Extra volumes attached at boot (e.g. after a restart), by API device name. */
  attached?: { volumeId: string; device: string; sizeGiB?: number }[];
  volumes: VolumeStore;
  metadata: InstanceMetadata;
  metadataOptions?: Partial<MetadataOptions>;
  limits?: { fs?: Partial<FsLimits>; shell?: Partial<ShellLimits> };
  /** Its status check failed: this boot runs no cloud-init scripts (GuestSpec.impaired). */
  impaired?: { since: string };
  now?: () => number;
}

export interface RunScriptOptions {
  /** The account it runs as (e.g. 'root' for cloud-init). */
  user: string;
  /** The script text (shell syntax; its `#!` line is a comment). */
  script: string;
  /** $0, also the prefix of error messages ("part-001: line 3: …"); default "bash". */
  name?: string;
  /** $1… */
  args?: string[];
  /** Exported in addition to the login environment. */
  env?: Record<string, string>;
  /** Default: the user's home directory. */
  cwd?: string;
  stdin?: string | Buffer;
  /** Each chunk of output as it is written. */
  onOutput?: (stream: 'stdout' | 'stderr', data: Buffer) => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type { AuthorizedKeys };

export class GuestSession {
  constructor(
    private readonly guest: InstanceGuest,
    readonly shell: Shell,
  ) {}

  /** Run one command line; the volumes it changed are saved before this resolves. */
  async run(line: string): Promise<number> {
    try {
      return await this.shell.run(line);
    } finally {
      await this.guest.persist();
    }
  }

  prompt(): string {
    return this.shell.prompt();
  }

  get ended(): boolean {
    return this.shell.ended;
  }

  get cwd(): string {
    return this.shell.proc.cwd;
  }

  /** Stop the command in progress: Ctrl-C (130) or the client hanging up (129). */
  interrupt(status = 130): void {
    this.shell.interrupt(status);
  }

  close(): void {
    this.shell.close();
    this.guest.sessions.delete(this);
  }
}

export class InstanceGuest {
  readonly instanceId: string;
  readonly image: ImageTemplate;
  readonly vfs: Vfs;
  /** The root filesystem as first boot, cloud-init, users and StrictModes see it. */
  readonly files: GuestFiles;
  readonly users: UserDb;
  readonly imds: MetadataService;
  readonly sessions = new Set<GuestSession>();
  private readonly devices: BlockDevice[] = [];
  /** A Nitro instance type: disks are NVMe (nvme0n1 …), see block-device-names.ts. */
  private readonly nvme: boolean;
  private readonly saved = new Map<string, number>();
  private saveChain: Promise<void> = Promise.resolve();
  private readonly limits: GuestLimits;
  private readonly now: () => number;
  private closers: (() => Promise<void>)[] = [];
  readonly system: GuestSystem;

  private constructor(
    private readonly opts: InstanceGuestOptions,
    root: Volume,
  ) {
    this.instanceId = opts.instanceId;
    this.image = opts.image;
    this.now = opts.now ?? Date.now;
    this.limits = { fs: { ...DEFAULT_FS_LIMITS, ...opts.limits?.fs }, shell: { ...opts.limits?.shell } };
    const rootDevice = opts.rootVolume.device ?? opts.image.rootDeviceName;
    this.nvme = isNitroType(opts.metadata.instanceType);
    const kernel = newDiskName(this.nvme, rootDevice, [], true);
    this.devices.push({
      volumeId: opts.rootVolume.volumeId,
      apiDevice: rootDevice,
      kernelName: kernel,
      volume: root,
      sizeGiB: opts.rootVolume.sizeGiB ?? 8,
      isRoot: true,
    });
    this.vfs = new Vfs(root, root.partitioned ? `/dev/${partitionName(kernel)}` : `/dev/${kernel}`, this.now);
    this.files = vfsFiles(this.vfs);
    this.users = new UserDb(this.files);
    this.imds = new MetadataService(opts.metadata, opts.metadataOptions, this.now);
    const self = this;
    this.system = {
      vfs: this.vfs,
      users: this.users,
      imds: this.imds,
      // /etc/hostname as first boot or cloud-config `hostname` left it
      hostname: () => self.etcHostname() ?? opts.metadata.localHostname,
      devices: () => [...self.devices],
      prompt: opts.image.prompt,
      now: this.now,
      busyPaths: () => [...self.sessions].flatMap((s) => s.shell.frames.map((f) => f.proc.cwd)),
    };
  }

  /** Boot an instance: load (or create) its root volume, attach extra volumes, run first boot, save. */
  static async start(opts: InstanceGuestOptions): Promise<InstanceGuest> {
    const fsLimits = { ...DEFAULT_FS_LIMITS, ...opts.limits?.fs };
    const snap = await opts.volumes.load(opts.rootVolume.volumeId);
    const root = Volume.fromSnapshot(snap ?? opts.image.rootSnapshot(), fsLimits);
    const g = new InstanceGuest(opts, root);
    if (snap) g.saved.set(opts.rootVolume.volumeId, root.generation);
    for (const a of opts.attached ?? []) await g.attachVolume(a.volumeId, a.device, a.sizeGiB);
    // Windows runs EC2Launch, not cloud-init: no authorized_keys, no user data scripts (its password is the API's).
    if (opts.image.platform === 'windows') return g;
    firstBoot(g.files, g.users, {
      instanceId: opts.instanceId,
      defaultUser: opts.image.defaultUser,
      hostname: opts.metadata.localHostname,
      launchKey: opts.metadata.launchKey,
    });
    await g.persist();
    // cloud-init's later stages run while SSH is already up, as on EC2 (`cloud-init status --wait`).
    g.cloudInit = (opts.impaired ? Promise.resolve(impairedBoot(g.cloudInitHost(), opts.impaired.since)) : runCloudInit(g.cloudInitHost(), opts.metadata.userData)).finally(() => g.persist());
    g.cloudInit.catch(() => undefined);
    return g;
  }

  /** This boot's cloud-init run (resolves when its final stage is over). */
  cloudInit: Promise<CloudInitOutcome> = Promise.resolve({ firstBoot: false, errors: [] });

  private etcHostname(): string | undefined {
    try {
      const name = this.vfs.readFile(ROOT_CRED, '/etc/hostname').toString('utf8').trim();
      return name || undefined;
    } catch {
      return undefined;
    }
  }

  private cloudInitHost(): CloudInitHost {
    const runAsRoot = async (line: string, out: Sink, env: Record<string, string> = {}) => {
      if (this.halted) return 143; // stopped mid-run: as if killed by SIGTERM
      const r = await this.runScript({ user: 'root', script: line, name: 'sh', env, cwd: '/', onOutput: (_stream, data) => out.write(data) });
      return r.exitCode;
    };
    return {
      instanceId: this.instanceId,
      files: this.files,
      users: this.users,
      defaultUser: this.image.defaultUser,
      version: cloudInitVersion(this.image.prompt),
      now: this.now,
      runAsRoot,
      // as a subprocess of cloud-init: the file runs by its path, through its #! line
      runFile: (path, out, env) => runAsRoot(shellQuote(path), out, env),
    };
  }

  get defaultUser(): string {
    return this.image.defaultUser;
  }

  blockDevices(): readonly BlockDevice[] {
    return this.devices;
  }

  // ---- persistence ------------------------------------------------------------------

  /** Save every volume whose filesystem changed since its last save (serialised, in order). */
  persist(): Promise<void> {
    // After stop() nothing this guest still runs (a cloud-init script, say) may overwrite what the
    // next boot of the instance loads: like a powered-off machine, later writes are lost.
    if (this.halted) return this.saveChain;
    const run = async () => {
      for (const d of this.devices) {
        if (this.saved.get(d.volumeId) === d.volume.generation) continue;
        const gen = d.volume.generation;
        const store = this.opts.volumes;
        if (store.saveChanges) {
          // the inodes that changed, not the volume: a touch on a full volume costs a touch
          const changes = d.volume.takeChanges();
          try {
            if (changes.full) await store.save(d.volumeId, d.volume.toSnapshot());
            else await store.saveChanges(d.volumeId, changes);
          } catch (e) {
            d.volume.changedAll(); // what was taken is not stored: the next save writes it all
            throw e;
          }
        } else await store.save(d.volumeId, d.volume.toSnapshot());
        this.saved.set(d.volumeId, gen);
      }
    };
    this.saveChain = this.saveChain.then(run, run);
    return this.saveChain;
  }

  // ---- volumes ----------------------------------------------------------------------

  /** AttachVolume: the volume shows up as a block device (e.g. /dev/sdf → xvdf) until mounted. */
  async attachVolume(volumeId: string, device: string, sizeGiB = 8): Promise<void> {
    if (this.devices.some((d) => xenDiskName(d.apiDevice) === xenDiskName(device))) throw new Error(`device ${device} is already in use`);
    const kernel = newDiskName(this.nvme, device, this.devices.map((d) => d.kernelName), false);
    if (this.devices.some((d) => d.volumeId === volumeId)) throw new Error(`${volumeId} is already attached`);
    const snap = await this.opts.volumes.load(volumeId);
    // A volume with no stored contents is a blank one: unformatted until mkfs.
    const vol = snap ? Volume.fromSnapshot(snap, this.limits.fs) : Volume.empty({ limits: this.limits.fs, now: this.now(), unformatted: true });
    this.devices.push({ volumeId, apiDevice: device, kernelName: kernel, volume: vol, sizeGiB, isRoot: false });
    if (snap) this.saved.set(volumeId, vol.generation);
    await this.persist();
  }

  /** DetachVolume: a mounted volume is unmounted first (as a forced detach), then saved and removed. */
  async detachVolume(volumeIdOrDevice: string): Promise<void> {
    const i = this.devices.findIndex((d) => !d.isRoot && (d.volumeId === volumeIdOrDevice || d.apiDevice === volumeIdOrDevice));
    if (i < 0) throw new Error(`${volumeIdOrDevice} is not attached`);
    const d = this.devices[i]!;
    const m = this.vfs.mountOf(d.volume);
    if (m) this.vfs.umount(m.target);
    await this.persist();
    this.devices.splice(i, 1);
    this.saved.delete(d.volumeId);
  }

  /**
   * The disk under a volume grew (ModifyVolume): lsblk shows the new size; a partition and the
   * filesystem on it keep their size until growpart and resize2fs/xfs_growfs, as on a real instance.
   */
  resizeVolume(volumeId: string, sizeGiB: number): void {
    const d = this.devices.find((x) => x.volumeId === volumeId);
    if (!d || sizeGiB <= d.sizeGiB) return;
    if (d.volume.partitioned) d.partSizeGiB ??= d.sizeGiB;
    if (!d.volume.unformatted) d.fsSizeGiB ??= d.partSizeGiB ?? d.sizeGiB;
    d.sizeGiB = sizeGiB;
  }

  isMounted(volumeId: string): boolean {
    const d = this.devices.find((x) => x.volumeId === volumeId);
    return !!d && !!this.vfs.mountOf(d.volume) && !d.isRoot;
  }

  /** The tail of cloud-init's output log (the console's share of the boot), if the guest has one. */
  consoleLog(maxBytes: number): string | undefined {
    try {
      const b = this.files.readFile('/var/log/cloud-init-output.log');
      return b.subarray(Math.max(0, b.length - maxBytes)).toString('utf8');
    } catch {
      return undefined;
    }
  }

  // ---- metadata -----------------------------------------------------------------------

  setMetadataOptions(o: Partial<MetadataOptions>): void {
    this.imds.setOptions(o);
  }

  // ---- users and commands ----------------------------------------------------------------

  /** The target user's authorized_keys lines under sshd's StrictModes (authorized-keys.ts). */
  authorizedKeys(userName: string): AuthorizedKeys {
    return authorizedKeysOf(this.files, this.users, userName);
  }

  /** A shell session for `userName` (login: cwd at home, fresh environment). */
  openSession(userName: string, io: IO, opts: { interactive: boolean }): GuestSession {
    const user = this.users.user(userName);
    if (!user) throw new Error(`no such user ${userName}`);
    const hasHome = this.vfs.exists(ROOT_CRED, user.home);
    const proc = newProc(this.system, user, { login: true, cwd: hasHome ? user.home : '/', tty: io.tty });
    const shell = new Shell({ sys: this.system, proc, io, interactive: opts.interactive, limits: this.limits.shell });
    const s = new GuestSession(this, shell);
    this.sessions.add(s);
    return s;
  }

  /** Run a command line as `userName` (as `ssh user@host 'command'` does) and collect its output. */
  async exec(userName: string, command: string, opts: { stdin?: string | Buffer } = {}): Promise<ExecResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (into: Buffer[]): Sink => ({ write: (d) => into.push(typeof d === 'string' ? Buffer.from(d) : d) });
    const input = opts.stdin === undefined ? Input.empty() : Input.of(Buffer.from(opts.stdin));
    const s = this.openSession(userName, { input, out: sink(out), err: sink(err), tty: false }, { interactive: false });
    try {
      const exitCode = await s.run(command);
      return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    } finally {
      s.close();
    }
  }

  /**
   * Run a script text as `user`, as `bash -s` would be run by a login
   * without a terminal (cloud-init, provisioners): the entry point for
   * anything that runs guest scripts. `name` is its $0 (and the prefix of
   * its error messages); output can be streamed (`onOutput`) as well as
   * collected. The volumes it changed are saved before this resolves.
   */
  async runScript(o: RunScriptOptions): Promise<ExecResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (into: Buffer[], stream: 'stdout' | 'stderr'): Sink => ({
      write: (d) => {
        const b = typeof d === 'string' ? Buffer.from(d) : d;
        into.push(b);
        o.onOutput?.(stream, b);
      },
    });
    const input = o.stdin === undefined ? Input.empty() : Input.of(Buffer.from(o.stdin));
    const s = this.openSession(o.user, { input, out: sink(out, 'stdout'), err: sink(err, 'stderr'), tty: false }, { interactive: false });
    const top = s.shell.top;
    if (o.cwd !== undefined) {
      top.proc.cwd = o.cwd;
      top.proc.env.set('PWD', o.cwd);
    }
    for (const [k, v] of Object.entries(o.env ?? {})) {
      top.proc.env.set(k, v);
      top.exported.add(k);
    }
    if (o.name !== undefined) top.arg0 = o.name;
    top.positional = o.args ?? [];
    // the #! line chooses the shell and its options (#!/bin/bash -ex, #!/usr/bin/env bash)
    const shebang = /^#!\s*(\S+)(.*)$/m.exec(o.script.split('\n', 1)[0] ?? '');
    if (shebang) {
      const words = shebang[2]!.trim().split(/\s+/).filter(Boolean);
      let interpreter = shebang[1]!.slice(shebang[1]!.lastIndexOf('/') + 1);
      if (interpreter === 'env' && words.length) interpreter = words.shift()!;
      if (interpreter !== 'sh' && interpreter !== 'bash') {
        s.close();
        // an interpreter the real image has (python3) says why it cannot run here; others are missing
        const simulated = isSimulatedProgram(interpreter, this.image.prompt);
        const stderr = simulated ? simulatedMessage(interpreter) : `${o.name ?? 'bash'}: ${shebang[1]}: bad interpreter: No such file or directory\n`;
        o.onOutput?.('stderr', Buffer.from(stderr));
        return { exitCode: simulated ? 127 : 126, stdout: '', stderr };
      }
      for (let k = 0; k < words.length; k++) {
        const w = words[k]!;
        if ((w === '-o' || w === '+o') && words[k + 1] && words[k + 1]! in top.options) (top.options as unknown as Record<string, boolean>)[words[++k]!] = w === '-o';
        else if (/^[-+][a-zA-Z]+$/.test(w)) for (const ch of w.slice(1)) setShellOption(top, ch, w[0] === '-');
      }
    }
    try {
      const exitCode = await s.run(o.script);
      return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    } finally {
      s.close();
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Register something to close on stop (guest/ssh/server.ts registers its endpoint; under the runtime, the runtime closes the transport first). */
  onStop(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  /** Stop/terminate: close SSH sessions and listeners, then flush every volume. */
  async stop(): Promise<void> {
    const closers = this.closers;
    this.closers = [];
    await Promise.allSettled(closers.map((c) => c()));
    this.sessions.clear();
    await this.persist();
    this.halted = true;
  }

  /** Stops without saving: the instance now runs elsewhere (its lease was lost), whose writes must not be overwritten. */
  async abandon(): Promise<void> {
    this.halted = true;
    await this.stop();
  }

  private halted = false;
}
