// The crun engine: starts and ends real instances (guest.ts), keeps their volumes as host
// directories it owns, and clears what a killed server left behind (docs/real-instances.md).
//
//   <stateDir>/crun/                 crun's state (--root): one entry per running instance
//   <stateDir>/instances/<id>/       bundle: config.json, the rootfs mount point, exec specs
//   <stateDir>/volumes/<vol>/disk    a volume's ext4 (upper/ and work/ for overlayfs inside; volume-disk.ts)
//   <stateDir>/spare-disks/          blank disks made ahead for new volumes (spare-disks.ts)
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { GuestVolume } from '../../compute/guest-engine.js';
import { BlockDevices, blockDirs, makeBlockDirs, type VolumeFilesystem } from './block-devices.js';
import { createDefaultUser, writeBootFiles, type BootFacts } from './first-boot.js';
import { CrunGuest, ensureDir, type PreparedCloudInit, sleep } from './guest.js';
import { cgroupLayout, hostUnfit } from './host.js';
import { GUEST_UID_BASE, type ImageCache } from './images.js';
import { guestCapabilities, limitsFor, ociConfig } from './oci.js';
import { VolumeFiles } from './volume-files.js';
import { diskFile, diskMountPoint, loopsUnder, makeBlankDisk, MOUNT_OPTIONS } from './volume-disk.js';
import { SpareDisks } from './spare-disks.js';
import { CrunVolumeBytes } from './volume-bytes.js';
import { RootReader } from './root-reader.js';
import { type PeerGate, type PeerRules, SLIRP_NET, type VpcLink, VpcNetworks } from './vpc-net.js';

const run = promisify(execFile);

export interface CrunEngineOptions {
  /** Where instances' bundles, volumes and crun's state live (the server's data directory/crun). */
  stateDir: string;
  images: ImageCache;
  log: (line: string) => void;
  /** Prefix of the unix sockets of the VPC networks (short: socket paths are limited to 107 bytes). */
  socketPrefix: string;
  /** PID 1: a reaper (default) or the image's systemd where it has one (serve --real-init). */
  init?: 'reaper' | 'systemd';
}

export interface CrunStartSpec extends Omit<BootFacts, 'nameserver'> {
  imageKey: string;
  rootVolumeId: string;
  /** The root's API device name (/dev/xvda) and size: lsblk shows it. */
  rootDevice: string;
  rootSizeGiB: number;
  /** Other volumes attached at boot. */
  attached: GuestVolume[];
  instanceType: string;
  /** Its place on its VPC's network and who decides connections from its peers. */
  link: VpcLink;
  gate: PeerGate;
  /** Its security groups for UDP and ICMP from and to its peers (the VPC namespace's filter). */
  rules: PeerRules;
  /** More of the instance's making once PID 1 exists (its metadata service's link), beside the engine's own. */
  alongside?: (pid: number) => Promise<void>;
}

/** The cgroup (under this server's own, so the host's accounting of the server covers its instances). */
function cgroupBase(): string {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v1 = lines.map((l) => l.split(':')).find((f) => f[1]?.split(',').includes('memory'));
  const own = v1 ? v1[2]! : (lines.map((l) => l.split(':')).find((f) => f[0] === '0')?.[2] ?? '/');
  return `${own.replace(/\/+$/, '')}/ec2lite`;
}

export class CrunEngine {
  private readonly crunRoot: string;
  private readonly capabilities = guestCapabilities();
  private readonly cgroupParent = cgroupBase();
  /** Volume and snapshot contents (host directories). */
  readonly volumes: CrunVolumeBytes;
  /**
   * Volumes mounted by a running instance (root or attached) → that instance: one overlay upper
   * directory under two mounts is undefined behaviour, so a second user is refused (Multi-Attach).
   */
  private readonly inUse = new Map<string, CrunGuest>();
  /** The instances' private networks (one namespace per VPC) and their way out. */
  readonly networks: VpcNetworks;
  /** Reads guest files inside their instances' roots (one helper process for all). */
  readonly reader: RootReader;
  /** Blank disks made ahead for new volumes. */
  readonly spares: SpareDisks;

  constructor(private readonly opts: CrunEngineOptions) {
    this.crunRoot = join(opts.stateDir, 'crun');
    this.spares = new SpareDisks(join(opts.stateDir, 'spare-disks'), makeBlankDisk, opts.log);
    this.volumes = new CrunVolumeBytes(opts.stateDir, this.spares);
    this.networks = new VpcNetworks(opts.socketPrefix, opts.log);
    this.reader = new RootReader(() => opts.images.helper());
  }

  /** Why an instance of `imageKey` cannot start on this host now (undefined: it can). */
  unfit(imageKey: string): string | undefined {
    const host = hostUnfit();
    if (host) return host;
    if (!this.opts.images.manifest(imageKey)) return `image ${imageKey} is not built on this host (fix: ec2lite images build ${imageKey})`;
    return undefined;
  }

  /**
   * At server start, before instances resume: ends every instance a previous run of the server
   * left (a kill -9 ends their processes through the parent-death signals, but crun's state and
   * the empty cgroups stay), so a resumed instance starts clean and nothing is orphaned.
   */
  async clearLeftovers(): Promise<string[]> {
    const cleared: string[] = [];
    if (existsSync(this.crunRoot)) {
      for (const id of readdirSync(this.crunRoot)) {
        await run('crun', ['--root', this.crunRoot, 'kill', id, 'KILL']).catch(() => undefined);
        await run('crun', ['--root', this.crunRoot, 'delete', '-f', id]).catch(() => undefined);
        rmSync(join(this.crunRoot, id), { recursive: true, force: true });
        cleared.push(id);
      }
    }
    // Only this state directory's instances (its bundles): the cgroup parent is shared with any
    // other server in the same cgroup, whose just-created instance cgroups are empty for a moment.
    const ours = new Set([...cleared, ...safeReaddir(join(this.opts.stateDir, 'instances'))]);
    for (const dir of this.cgroupDirs()) {
      for (const id of safeReaddir(dir)) {
        if (!ours.has(id)) continue;
        const p = join(dir, id);
        if (!isDir(p)) continue;
        try {
          removeCgroupTree(p);
          if (!cleared.includes(id)) cleared.push(id);
        } catch {
          // still has processes: not ours to end blindly
        }
      }
    }
    // Loop devices of this server's volume disks: mounted only in namespaces that died with the
    // server, they autoclear; one still bound here was leaked some other way (detached now, or
    // when its last user lets go).
    for (const l of loopsUnder(join(this.opts.stateDir, 'volumes') + '/')) {
      await run('losetup', ['-d', l.device]).catch(() => undefined);
      cleared.push(`${l.device} (${l.file})`);
    }
    return cleared;
  }

  /**
   * The instance's cgroup in every hierarchy (cpuset aside: crun fills its cpus and mems when it
   * makes it), owned by guest root, so a systemd PID 1 can make its slices and scopes under it.
   */
  private delegateCgroup(instanceId: string): void {
    const dirs =
      cgroupLayout() === 'v2'
        ? [join('/sys/fs/cgroup', this.cgroupParent, instanceId)]
        : safeReaddir('/sys/fs/cgroup')
            .filter((c) => c !== 'unified' && c !== 'cpuset' && isRealDir(join('/sys/fs/cgroup', c)))
            .map((c) => join('/sys/fs/cgroup', c, this.cgroupParent, instanceId));
    for (const d of dirs) {
      mkdirSync(d, { recursive: true });
      chownSync(d, GUEST_UID_BASE, GUEST_UID_BASE);
      for (const f of readdirSync(d)) chownSync(join(d, f), GUEST_UID_BASE, GUEST_UID_BASE);
    }
  }

  /** The per-controller directories that hold instance cgroups (v1: one per hierarchy; v2: one). */
  cgroupDirs(): string[] {
    if (cgroupLayout() === 'v2') return [join('/sys/fs/cgroup', this.cgroupParent)];
    return safeReaddir('/sys/fs/cgroup')
      .filter((c) => c !== 'unified')
      .map((c) => join('/sys/fs/cgroup', c, this.cgroupParent))
      .filter((p) => existsSync(p));
  }


  async start(spec: CrunStartSpec): Promise<CrunGuest> {
    const reason = this.unfit(spec.imageKey);
    if (reason) throw new Error(reason);
    const helper = await this.opts.images.helper();
    if (!(await this.volumes.exists(spec.rootVolumeId))) await this.volumes.create(spec.rootVolumeId, `image:${spec.imageKey}`);
    const lower = this.opts.images.rootfs(this.volumes.origin(spec.rootVolumeId) ?? spec.imageKey);
    const vol = this.volumes.volumeDir(spec.rootVolumeId);
    // The root's files in an ext4 of the volume's size (volume-disk.ts): df shows it, ENOSPC at it.
    await this.volumes.ensureDisk(spec.rootVolumeId, spec.rootSizeGiB, this.opts.log);
    const disk = diskFile(vol);
    const fsDir = diskMountPoint(vol);
    const upper = join(fsDir, 'upper');
    const work = join(fsDir, 'work');
    const bundle = join(this.opts.stateDir, 'instances', spec.instanceId);
    rmSync(bundle, { recursive: true, force: true });
    ensureDir(join(bundle, 'rootfs'));
    makeBlockDirs(bundle);
    ensureDir(this.crunRoot, 0o700);
    await run('crun', ['--root', this.crunRoot, 'delete', '-f', spec.instanceId]).catch(() => undefined);
    // In a private mount namespace that lives as long as crun run: the root volume's disk is
    // mounted, first boot is written into it (through /proc/<pid>/root: the host never sees the
    // mount), then on "go" the overlay is mounted and crun runs.
    // The hybrid-cgroup quirk: crun refuses to run while the v2 mount beside v1 has controllers;
    // it is unmounted in this private mount namespace only (the host's stays).
    const script =
      'umount /sys/fs/cgroup/unified 2>/dev/null; ' +
      // Shared here, slave in the guest: volumes mounted under it while the instance runs reach the guest (block-devices.ts).
      'mount --bind "$4/blk" "$4/blk" && mount --make-shared "$4/blk" || exit 125; ' +
      `mount -o ${MOUNT_OPTIONS} "$7" "$8" || exit 125; ` +
      'echo ready; read go mode && [ "$go" = go ] || exit 125; ' +
      'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4/rootfs" || exit 125; ' +
      // (cloud-init started with PID 1 reads its word and writes its marker through crun's stdio: these pipes)
      'if [ "$mode" != piped ]; then exec </dev/null >/dev/null; fi; ' +
      'exec crun --root "$5" run --bundle "$4" "$6"';
    const monitor = spawn(
      'setpriv',
      ['--pdeathsig', 'KILL', '--', 'unshare', '-m', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', lower, upper, work, bundle, this.crunRoot, spec.instanceId, disk, fsDir],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let init: InitProcess = { args: [], systemd: false, reaper: false };
    let early = false;
    monitor.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    monitor.stdin!.on('error', () => undefined);
    try {
      await waitForLine(monitor, 'ready', () => stderr);
      monitor.stdout!.resume();
      // The root as the namespace sees it: writes land in the mounted disk (before the overlay: writing under a mounted overlay is undefined).
      const files = new VolumeFiles(lower, `/proc/${monitor.pid}/root${upper}`);
      // First boot is per instance (a volume made from another instance's image boots first again, as cloud-init does).
      const marker = join(vol, `first-boot-${spec.instanceId}`);
      const facts: BootFacts = { ...spec, nameserver: SLIRP_NET.dns };
      writeBootFiles(files, facts);
      if (!existsSync(marker)) {
        createDefaultUser(files, facts);
        writeFileSync(marker, '');
      }
      init = initFor(files, this.opts.init ?? 'reaper');
      // cloud-init's interpreter starts with PID 1 (loading its modules is most of its early stages' time)
      early = init.reaper && files.exists('usr/bin/cloud-init');
      // systemd manages its own cgroup subtree: the instance's cgroup is made here and handed to guest root (crun chowns only on cgroup v2).
      if (init.systemd) this.delegateCgroup(spec.instanceId);
      const config = ociConfig({
        hostname: spec.hostname,
        ...(early ? withEarlyCloudInit(init.args) : { init: init.args }),
        systemd: init.systemd,
        limits: limitsFor(spec.instanceType, availableParallelism()),
        cgroupsPath: `${this.cgroupParent}/${spec.instanceId}`,
        capabilities: this.capabilities,
        blockDirs: blockDirs(bundle),
      });
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
      if (early) monitor.stdin!.write('go piped\n');
      else monitor.stdin!.end('go\n');
    } catch (e) {
      monitor.kill('SIGKILL');
      throw e;
    }
    const pid = await this.waitForPid(spec.instanceId, monitor, () => stderr);
    protectInit(pid, this.opts.log);
    const guest = new CrunGuest({ instanceId: spec.instanceId, crunRoot: this.crunRoot, bundle, helper, reader: this.reader, monitor, pid, capabilities: this.capabilities, log: this.opts.log, systemd: init.systemd });
    // (systemd keeps utmp itself)
    const runlevel = guest.systemd ? Promise.resolve() : markRunlevel(guest);
    // cloud-init loads while the network and devices are made; its stages start once they are there
    guest.preparedCloudInit = early ? earlyCloudInit(guest, monitor) : await this.prepareCloudInit(guest);
    guest.disks.add(disk);
    void guest.exited.then((code) => {
      if (!guest.stopRequested) this.opts.log(`instance ${spec.instanceId}: crun exited (${code ?? 'signal'})${stderr ? `: ${stderr.trim()}` : ''}`);
    });
    const devices = async () => {
      guest.blocks = new BlockDevices({ bundle, outerPid: monitor.pid!, guestPid: pid, asGuestRoot: (args) => guest.asRoot(args) });
      this.claim(spec.rootVolumeId, guest);
      void guest.exited.then(() => {
        for (const [v, owner] of this.inUse) if (owner === guest) this.inUse.delete(v);
      });
      await guest.blocks.addRoot(spec.rootVolumeId, spec.rootDevice, spec.rootSizeGiB);
      const stopWatching = guest.blocks.watchFormatRequests(async (volumeId, sizeGiB) => {
        await this.volumes.format(volumeId, sizeGiB);
        const dir = this.volumes.volumeDir(volumeId);
        guest.disks.add(diskFile(dir));
        return { kind: 'dir', path: join(diskMountPoint(dir), 'upper'), disk: { file: diskFile(dir), at: diskMountPoint(dir) } };
      });
      void guest.exited.then(stopWatching);
      for (const v of spec.attached) {
        // A volume another running instance holds (Multi-Attach) is left out, not mounted twice.
        await this.attachVolume(guest, v).catch((e: unknown) => this.opts.log(`instance ${spec.instanceId}: ${v.volumeId} not attached: ${e instanceof Error ? e.message : String(e)}`));
      }
    };
    // Network, devices, utmp and the caller's part touch different things: made at once.
    const made = await Promise.allSettled([this.networks.attach(spec.instanceId, pid, spec.link, spec.gate, spec.rules), devices(), runlevel, spec.alongside?.(pid)]);
    const failed = made.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await guest.stop(0);
      throw failed.reason;
    }
    return guest;
  }

  /**
   * An EBS volume plugged into a running instance (at boot or AttachVolume): a root filesystem
   * made from an AMI shows as a partitioned disk (xvdf, xvdf1) whose files are an overlay of its
   * image and the volume's directory; any other volume is one filesystem on the whole disk.
   */
  async attachVolume(guest: CrunGuest, v: GuestVolume): Promise<void> {
    const blocks = guest.blocks;
    if (!blocks) throw new Error(`${guest.instanceId} is not running`);
    if (blocks.has(v.volumeId)) return;
    this.claim(v.volumeId, guest);
    // A volume first used by a real instance (created blank elsewhere): an empty, unformatted disk here.
    if (!(await this.volumes.exists(v.volumeId))) await this.volumes.create(v.volumeId);
    const dir = this.volumes.volumeDir(v.volumeId);
    const image = this.volumes.origin(v.volumeId);
    const formatted = Boolean(image) || this.volumes.formatted(v.volumeId);
    let fs: VolumeFilesystem = { kind: 'raw' };
    try {
      if (formatted) {
        // Bounded like the root: its files in an ext4 of its size, mounted in the instance's outer namespace.
        await this.volumes.ensureDisk(v.volumeId, v.sizeGiB, this.opts.log);
        const at = diskMountPoint(dir);
        const disk = { file: diskFile(dir), at };
        guest.disks.add(disk.file);
        fs = image
          ? { kind: 'overlay', lower: this.opts.images.rootfs(image), upper: join(at, 'upper'), work: join(at, 'work'), disk }
          : { kind: 'dir', path: join(at, 'upper'), disk };
      }
      await blocks.attach(v.volumeId, v.device, v.sizeGiB, fs, image !== undefined);
    } catch (e) {
      this.inUse.delete(v.volumeId);
      throw e;
    }
  }

  /** DetachVolume while running: the guest lets go of the volume. */
  async detachVolume(guest: CrunGuest, volumeId: string): Promise<void> {
    await guest.blocks?.detach(volumeId);
    guest.disks.delete(diskFile(this.volumes.volumeDir(volumeId)));
    if (this.inUse.get(volumeId) === guest) this.inUse.delete(volumeId);
  }

  private claim(volumeId: string, guest: CrunGuest): void {
    const owner = this.inUse.get(volumeId);
    // (a guest that has exited holds nothing, even before its exit is noticed here)
    if (owner && owner !== guest && owner.running) throw new Error(`${volumeId} is in use by ${owner.instanceId} (a real instance's volume is mounted by one instance at a time)`);
    this.inUse.set(volumeId, guest);
  }

  /** crun run has no "created" callback: poll its state until PID 1 exists (tens of ms). */
  private async waitForPid(id: string, monitor: ChildProcess, stderr: () => string): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (monitor.exitCode !== null || monitor.signalCode !== null) throw new Error(`crun run failed (${monitor.exitCode ?? monitor.signalCode}): ${stderr().trim()}`);
      try {
        const { stdout } = await run('crun', ['--root', this.crunRoot, 'state', id]);
        const state = JSON.parse(stdout) as { pid?: number; status?: string };
        if (state.pid && state.status === 'running') return state.pid;
      } catch {
        // not created yet
      }
      await sleep(15);
    }
    monitor.kill('SIGKILL');
    throw new Error(`crun run did not start ${id} within 20 s: ${stderr().trim()}`);
  }

  /**
   * Runs the image's own cloud-init (all four stages) in the background, as at boot on EC2.
   * `initDone` resolves when the init (network) stage has finished — cloud-init.service is
   * Before=ssh.service, so that is when sshd starts — or at once without cloud-init; the config
   * and final stages (packages, runcmd, user-data scripts) go on after it, as on EC2.
   */
  private async systemdInitStage(guest: CrunGuest): Promise<void> {
    const started = Date.now();
    await systemdInitStageDone(guest);
    if (Date.now() - started >= INIT_STAGE_CAP_MS) this.opts.log(`instance ${guest.instanceId}: cloud-init's init stage still running after ${INIT_STAGE_CAP_MS / 1000} s: SSH listens anyway`);
  }

  /**
   * Starts the image's cloud-init run as soon as PID 1 exists, before the instance's network,
   * devices and metadata service are in place: its interpreter loads cloud-init's modules (most
   * of the early stages' time) while the engine finishes, then waits. `runCloudInit` lets the
   * stages run, in systemd's order.
   */
  async prepareCloudInit(guest: CrunGuest): Promise<PreparedCloudInit | undefined> {
    if (guest.systemd) return undefined;
    const root = await guest.user('root');
    if (!root) return undefined;
    const p = guest.exec({
      user: root,
      args: ['/bin/sh', '-c', CLOUD_INIT_RUN, 'sh', CLOUD_INIT_EARLY_STAGES, INIT_DONE],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' },
    });
    p.child.stdin?.on('error', () => undefined);
    p.child.stderr?.resume();
    guest.own(p.child);
    // Failed or absent cloud-init: sshd starts after cloud-init.service however it ended.
    const initDone = initStageEnd(p.child.stdout!, [once(p.child, 'exit'), guest.exited]).then(() => void p.child.stdout!.resume());
    return { go: () => p.child.stdin?.end('go\n'), initDone };
  }

  /**
   * Runs the image's own cloud-init (all four stages) in the background, as at boot on EC2.
   * `initDone` resolves when the init (network) stage has finished — cloud-init.service is
   * Before=ssh.service, so that is when sshd starts — or at once without cloud-init; the config
   * and final stages (packages, runcmd, user-data scripts) go on after it, as on EC2.
   */
  runCloudInit(guest: CrunGuest): { initDone: Promise<void> } {
    if (guest.systemd) return { initDone: this.systemdInitStage(guest) };
    // (prepared by start(); none: the image has no root user to run it)
    const run = guest.preparedCloudInit;
    if (!run) return { initDone: Promise.resolve() };
    run.go();
    const initDone = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.opts.log(`instance ${guest.instanceId}: cloud-init's init stage still running after ${INIT_STAGE_CAP_MS / 1000} s: SSH listens anyway`);
        resolve();
      }, INIT_STAGE_CAP_MS);
      timer.unref();
      void run.initDone.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { initDone };
  }
}

/**
 * cloud-init's two early stages, init-local then init (network), as /usr/bin/cloud-init runs each
 * (its entry point is cloudinit.cmd.main's `main`), in one interpreter: its modules load once and
 * before the engine's word (a line on stdin), since loading them is most of the stages' time
 * (~130 ms of CPU each). Each stage sets up its own logging and output redirection, as in its own
 * process; the marker line (argv[1]) goes to the run's own stdout, kept aside. Exit status 3: this
 * image's cloud-init cannot be loaded so; the shell runs the commands instead.
 * Also before the word: the modules the init stage will import (its datasource, distro, mergers
 * and `cloud_init_modules`), and the YAML of /etc/cloud. cloud-init parses the same config files
 * again and again (nine times in these two stages, with a pure-Python loader: half their time
 * after the imports), so the run remembers each text's parse and hands out copies; a changed
 * file is a new text, parsed anew.
 */
const CLOUD_INIT_EARLY_STAGES = [
  'import os, sys',
  'try:',
  '    from cloudinit.cmd.main import main',
  'except Exception:',
  '    sys.exit(3)',
  'try:',
  '    import copy',
  '    from cloudinit import safeyaml, util',
  '    parse, parsed = safeyaml.load, {}',
  '    def load(blob):',
  '        if not isinstance(blob, str) or len(blob) > 1 << 20:',
  '            return parse(blob)',
  '        if blob not in parsed:',
  '            parsed[blob] = parse(blob)',
  '        return copy.deepcopy(parsed[blob])',
  '    safeyaml.load = load',
  "    cfg = util.read_conf_with_confd('/etc/cloud/cloud.cfg')",
  "    names = ['cloudinit.sources.DataSourceNoCloud', 'cloudinit.sources.DataSourceNone', 'cloudinit.distros.' + str((cfg.get('system_info') or {}).get('distro'))]",
  "    names += ['cloudinit.mergers.m_' + m for m in ('dict', 'list', 'str')]",
  "    names += ['cloudinit.config.cc_' + (m if isinstance(m, str) else str(m[0])).replace('-', '_') for m in cfg.get('cloud_init_modules') or []]",
  '    for name in names:',
  '        try:',
  '            __import__(name)',
  '        except Exception:',
  '            pass',
  'except Exception:',
  '    pass',
  'sys.stdin.readline()',
  'out = os.dup(1)',
  'def stage(args, quiet):',
  '    sys.stdout.flush(); sys.stderr.flush()',
  '    saved = (os.dup(1), os.dup(2))',
  '    if quiet:',
  '        null = os.open(os.devnull, os.O_WRONLY); os.dup2(null, 1); os.dup2(null, 2); os.close(null)',
  '    try:',
  "        main(['cloud-init'] + args)",
  '    except BaseException:',
  '        pass',
  '    sys.stdout.flush(); sys.stderr.flush()',
  '    os.dup2(saved[0], 1); os.dup2(saved[1], 2); os.close(saved[0]); os.close(saved[1])',
  "stage(['init', '--local'], True)",
  "stage(['init'], False)",
  "os.write(out, ('\\n' + sys.argv[1] + '\\n').encode())",
].join('\n');

/** The run: the early stages (above), then the config and final stages, each its own command as its unit runs it. */
const CLOUD_INIT_RUN = [
  'command -v cloud-init >/dev/null || { echo; echo "$2"; exit 0; }',
  'python3 -c "$1" "$2"; rc=$?',
  'if [ $rc = 3 ] || [ $rc = 127 ]; then read go; cloud-init init --local >/dev/null 2>&1; cloud-init init; echo; echo "$2"',
  // (the interpreter died before its marker: the stage is over however it ended, as for systemd)
  'elif [ $rc != 0 ]; then echo; echo "$2"; fi',
  // (nothing reads these stages' console output: cloud-init's own log files have it)
  'exec </dev/null >/dev/null 2>&1',
  'cloud-init modules --mode=config; cloud-init modules --mode=final',
].join('\n');

/**
 * Under systemd, cloud-init's own units run its stages: the init (network) stage is over when
 * cloud-init's status file says so (as ssh.service waits for cloud-init.service), or at once when
 * the image has no cloud-init or its generator disabled it.
 */
async function systemdInitStageDone(guest: CrunGuest): Promise<void> {
  // (read inside the instance: a status file the guest symlinked to /dev/zero must not be the server's to read)
  if (!(await guest.stat(['usr/bin/cloud-init']))[0]) return;
  const deadline = Date.now() + INIT_STAGE_CAP_MS;
  let exited = false;
  void guest.exited.then(() => (exited = true));
  while (!exited && Date.now() < deadline) {
    const [status, disabled] = await Promise.all([guest.readFile('run/cloud-init/status.json', 64 * 1024), guest.stat(['run/cloud-init/disabled'])]);
    if (disabled[0]) return;
    try {
      if (status && (JSON.parse(status.toString('utf8')) as { v1?: { init?: { finished?: number | null } } }).v1?.init?.finished) return;
    } catch {
      // mid-write
    }
    await sleep(100);
  }
}

/** What the cloud-init run prints when the init stage is over (a line of its own). */
const INIT_DONE = '__ec2lite_cloud_init_init_stage_done__';
/** A hung init stage does not keep SSH closed forever (systemd would time the unit out too). */
const INIT_STAGE_CAP_MS = 300_000;

/** Waits for the monitor's script to print `line` (its private namespace is ready), or to fail. */
function waitForLine(child: ChildProcess, line: string, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the instance's mount namespace was not ready within 60 s: ${stderr().trim()}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').includes(line)) done();
    };
    const onExit = (code: number | null, signal: string | null) => {
      // (stderr may still be arriving: give it a moment so the reason is in the message)
      setTimeout(() => fail(new Error(`could not prepare the instance's root volume (${code ?? signal}): ${stderr().trim()}`)), 50);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** PID 1 of an instance: systemd, or a reaper (tini) keeping a sleep, or the sleep alone (an image without tini). */
interface InitProcess {
  args: string[];
  systemd: boolean;
  /** PID 1 reaps orphans (tini, systemd): a process started beside its child is collected when it ends. */
  reaper: boolean;
}

/**
 * PID 1: the image's tini (a reaper; -p SIGKILL: it dies with crun). An imported image without
 * tini gets `sleep infinity` (orphans then stay zombies until the instance stops).
 */
function initFor(files: VolumeFiles, want: 'reaper' | 'systemd'): InitProcess {
  if (want === 'systemd' && files.exists('lib/systemd/systemd')) return { args: ['/lib/systemd/systemd'], systemd: true, reaper: true };
  if (files.exists('usr/bin/tini')) return { args: ['/usr/bin/tini', '-p', 'SIGKILL', '--', '/bin/sleep', 'infinity'], systemd: false, reaper: true };
  return { args: ['/bin/sleep', 'infinity'], systemd: false, reaper: false };
}

/**
 * The reaper's child starts the cloud-init run (CLOUD_INIT_RUN) in the background, orphaned to
 * PID 1, then becomes the sleep. The run's stdin and stdout are crun's (the monitor's pipes: the
 * word in, the marker out; a background job's stdin is /dev/null unless passed on another fd);
 * the sleep keeps neither. The scripts travel in PID 1's environment, not its argv, so `ps`
 * shows a short PID 1; the run and the sleep do not inherit them.
 */
function withEarlyCloudInit(reaperArgs: string[]): { init: string[]; initEnv: string[] } {
  const dashes = reaperArgs.indexOf('--');
  const launch =
    'exec 3<&0; ' +
    '(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 /bin/sh -c "$EC2LITE_CLOUD_INIT_RUN" sh "$EC2LITE_CLOUD_INIT_STAGES" ' + INIT_DONE + ' <&3 3<&- 2>/dev/null &); ' +
    'unset EC2LITE_BOOT EC2LITE_CLOUD_INIT_RUN EC2LITE_CLOUD_INIT_STAGES; exec "$@" </dev/null >/dev/null 2>&1 3<&-';
  return {
    init: [...reaperArgs.slice(0, dashes + 1), '/bin/sh', '-c', 'eval "$EC2LITE_BOOT"', 'sh', ...reaperArgs.slice(dashes + 1)],
    initEnv: [`EC2LITE_BOOT=${launch}`, `EC2LITE_CLOUD_INIT_RUN=${CLOUD_INIT_RUN}`, `EC2LITE_CLOUD_INIT_STAGES=${CLOUD_INIT_EARLY_STAGES}`],
  };
}

/**
 * The cloud-init run PID 1 started (withEarlyCloudInit): it waits for the word on the monitor's
 * stdin and prints the marker on its stdout. Once it has, nothing more is read from the guest
 * there (the config and final stages write to /dev/null; the pipe is closed, so a guest writing
 * into PID 1's inherited stdout gets EPIPE rather than the server's attention).
 */
function earlyCloudInit(guest: CrunGuest, monitor: ChildProcess): PreparedCloudInit {
  const out = monitor.stdout!;
  const initDone = initStageEnd(out, [once(out, 'end'), guest.exited]).then(() => void out.destroy());
  monitor.stdin!.on('error', () => undefined);
  return { go: () => monitor.stdin!.end('go\n'), initDone };
}

/** Resolves once `out` has printed the init-done marker line (CLOUD_INIT_RUN), or once any of `ends` settles. */
function initStageEnd(out: Readable, ends: Promise<unknown>[]): Promise<void> {
  return new Promise((resolve) => {
    let tail = '';
    const done = () => {
      out.off('data', onData);
      resolve();
    };
    const onData = (d: Buffer) => {
      tail = (tail + d.toString('latin1')).slice(-200);
      if (tail.includes(`\n${INIT_DONE}\n`)) done();
    };
    out.on('data', onData);
    for (const e of ends) void e.then(done, done);
  });
}

/** A cgroup and what systemd made under it (bottom up: a cgroup with children cannot go). Throws while a process is in it. */
function removeCgroupTree(p: string): void {
  for (const e of readdirSync(p, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(join(p, e.name));
  rmdirSync(p);
}

/**
 * A VM's init is never the OOM killer's victim: a memory hog in the instance dies, not its PID 1
 * (whose end would end every process in it). Written from the host: crun's oomScoreAdj is applied
 * inside the user namespace, where lowering it is refused. Its children keep their own score.
 * Lowering needs CAP_SYS_RESOURCE: a server without it says so once (tini, a few hundred KB, is
 * then only the victim when nothing bigger is left).
 */
function protectInit(pid: number, log: (line: string) => void): void {
  try {
    writeFileSync(`/proc/${pid}/oom_score_adj`, '-1000');
  } catch (e) {
    if (!initUnprotectedLogged) log(`instances' PID 1 keeps its OOM score (no CAP_SYS_RESOURCE?): ${e instanceof Error ? e.message : String(e)}`);
    initUnprotectedLogged = true;
  }
}
let initUnprotectedLogged = false;

/**
 * A RUN_LVL record in the instance's /run/utmp (runlevel 2, Debian's multi-user), as an init
 * writes at boot: without it invoke-rc.d refuses to start services ("could not determine current
 * runlevel"), so `apt-get install nginx` would install but not start it. glibc's x86-64 utmp layout.
 */
async function markRunlevel(guest: CrunGuest): Promise<void> {
  const rec = Buffer.alloc(384);
  rec.writeInt16LE(1, 0); // RUN_LVL
  rec.writeInt32LE('2'.charCodeAt(0) + 256 * 'N'.charCodeAt(0), 4); // now 2, previous N
  rec.write('~', 8, 'latin1'); // ut_line
  rec.write('~~', 40, 'latin1'); // ut_id
  rec.write('runlevel', 44, 'latin1'); // ut_user
  rec.writeInt32LE(Math.floor(Date.now() / 1000), 340);
  // Written by guest root inside the instance: host root cannot create files on the instance's
  // /run (a tmpfs of its user namespace, where host uid 0 is unmapped).
  await guest.asRoot(['/bin/sh', '-c', 'cat > /run/utmp && chgrp utmp /run/utmp; chmod 664 /run/utmp'], rec);
}

function safeReaddir(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return readdirSync(p) !== undefined;
  } catch {
    return false;
  }
}

/** A directory, not a symlink to one (v1's `cpu` → `cpu,cpuacct` aliases). */
function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
