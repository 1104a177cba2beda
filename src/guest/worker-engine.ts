// The simulated engine off the API's process: instances are sharded over a few guest worker
// processes (child_process.fork of worker-entry.ts, advanced serialization, each with a V8 heap
// cap), each running the simulated engine for its instances. The server keeps HTTP, the SSH
// transport and leases; it bridges session channels (bytes both ways with flow control, resize,
// signals, exit, SFTP requests) and the RunningGuest verbs over the child's IPC channel, and
// serves the children's volume reads and writes from its store (the store may be an in-memory
// SQLite, reachable from the server only).
//
// Processes rather than worker threads: V8 aborts the whole process when one allocation larger
// than the leeway Node gives a worker crosses its heap cap (a million-entry table's rehash), so a
// thread's cap could not keep one tenant from crashing the server; a child's abort is its own.
// A child is also preemptible: one whose loop is held by a guest step is SIGKILLed.
//
// A child that stops sending heartbeats (a guest step that never yields) is killed, and one that
// dies (heap cap) is replaced, like a failed host: its instances boot again from their persisted
// volumes in the new child, their open sessions close; instances on other children are
// untouched and the runtime (leases, states) never sees it — the instance stays `running`, as
// after AWS recovers an instance from a host failure. Children never outlive the server: the
// kernel kills them when it dies (PR_SET_PDEATHSIG, set by util-linux's setpriv before Node
// starts; even a child whose main thread a guest step holds), and they exit when the IPC channel
// closes; without setpriv, a lifeline thread in the child does what the kernel would
// (worker-entry.ts).
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { getPriority, setPriority } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { AuthorizedKeysLookup, GuestEngine, GuestSpec, GuestVolume, IamInstanceProfileRef, MetadataOptions, RunningGuest, SessionChannel, SessionHandlers, SftpSession } from '../compute/guest-engine.js';
import type { BlockData } from './fs/layered-store.js';
import { LayeredVolumeStore } from './fs/layered-store.js';
import { imageTemplate } from './images.js';
import { SIMULATED_ENGINE } from './simulated-engine.js';
import { type EntryOptions, type FromWorker, type GuestVerb, type PreloadedVolume, SFTP_EVENTS, type ToWorker, type WireSpec, asBuffer } from './worker-protocol.js';

export interface WorkerEngineOptions {
  /** Guest worker processes instances are spread over. */
  processes: number;
  /** Each process's V8 old-generation cap (MiB, --max-old-space-size): a guest past it ends its process, not the server. */
  heapMb: number;
  /** No heartbeat for this long: the process is stalled, killed and replaced. */
  stallMs: number;
  /** V8 flags each process applies at run time (the server's heap profile). */
  runtimeFlags?: readonly string[];
  /** Shell limits of every guest (the server's EC2LITE_GUEST_CPU_MS). */
  shellLimits?: EntryOptions['shellLimits'];
  /** Children end with the server by their lifeline thread even where setpriv could do it (tests). */
  lifeline?: boolean;
  log?: (line: string) => void;
}

const ENTRY = fileURLToPath(new URL('./worker-entry.js', import.meta.url));
/** util-linux's setpriv, if it has --pdeathsig (2.33+): runs Node with PR_SET_PDEATHSIG set (Linux; Node has no prctl of its own). */
let setpriv: string | undefined | null = null;
function pdeathsigRunner(): string | undefined {
  if (setpriv !== null) return setpriv;
  const path = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;
  // tried once: a setpriv that refused the option would make every child fail to start
  setpriv = path && spawnSync(path, ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore' }).status === 0 ? path : undefined;
  return setpriv;
}
const HEARTBEAT_MS = 500;
/**
 * How much nicer than the server its guest processes run: on a busy CPU the API's process gets
 * about nine times a guest process's share (CFS weights 1024 vs 110), so a batch of boots or a
 * busy guest does not slow the answers (TerminateInstances of 100 right after their launch: 58 →
 * ~27 ms); when the CPU is free they run at full speed. Heartbeats still get through (stall limit: 30 s).
 */
export const GUEST_NICENESS = 10;
/** How often a child checks, from its lifeline thread, that the server is still its parent. */
const LIFELINE_MS = 1000;
/** How long a new process may take to load before its first heartbeat (a failed start is retried as a failure). */
const STARTUP_MS = 120_000;
/** A process that ended before it ever answered is started again after this pause, not in a tight loop. */
const RESPAWN_PAUSE_MS = 1000;
/** What a child may write to its stdout/stderr over its life that reaches the log (Node's own fatal messages; guests never write there). */
const STDIO_LOG_BYTES = 16 * 1024;

interface BridgedSession {
  gid: number;
  close(): void;
  onMessage(m: FromWorker): void;
}

/** One guest worker process and what runs on it. */
class Shard {
  worker!: ChildProcess;
  lastBeat = Date.now();
  /** Its process has said something: it finished loading (before that, only the startup allowance applies). */
  up = false;
  readonly guests = new Set<WorkerGuest>();
  readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly sessions = new Map<number, BridgedSession>();
  /** Times this shard's process was replaced (tests, logs). */
  failures = 0;
  /** How its last replaced process ended: a signal (SIGKILL: killed as stalled; SIGABRT: V8 past the heap cap) or an exit code. */
  lastExit: string | undefined;
  constructor(readonly index: number) {}
}

const alive = (c: ChildProcess | undefined): c is ChildProcess => !!c && c.exitCode === null && c.signalCode === null;

export class WorkerEngine implements GuestEngine {
  readonly name = SIMULATED_ENGINE;
  readonly portableVolumes = true;
  /** Its guests live in its processes, their bytes in the store (compute/guest-engine.ts). */
  readonly stopsLate = true;
  readonly volumes: LayeredVolumeStore;
  private readonly shards: Shard[] = [];
  private nextId = 1;
  private closing = false;
  private readonly watchdog: NodeJS.Timeout;
  private lastTick = Date.now();
  private readonly log: (line: string) => void;
  /** The server exits without close() (process.exit, a fatal error): its children go with it, now. */
  private readonly killAll = () => {
    for (const s of this.shards) if (alive(s.worker)) s.worker.kill('SIGKILL');
  };

  constructor(
    private readonly blockData: BlockData,
    private readonly o: WorkerEngineOptions,
  ) {
    this.log = o.log ?? (() => {});
    this.volumes = new LayeredVolumeStore(blockData, (key) => imageTemplate(key).rootSnapshot());
    for (let i = 0; i < Math.max(1, o.processes); i++) this.shards.push(new Shard(i));
    // all at once: each process loads the engine's modules (seconds on a loaded machine), in parallel
    for (const shard of this.shards) this.spawn(shard);
    this.watchdog = setInterval(() => this.check(), HEARTBEAT_MS);
    this.watchdog.unref();
    process.on('exit', this.killAll);
  }

  /** The shards' process ids and their instances (tests, `ec2lite` diagnostics). */
  describe(): { index: number; pid: number | undefined; up: boolean; instances: string[]; failures: number; lastExit: string | undefined }[] {
    return this.shards.map((s) => ({ index: s.index, pid: s.worker?.pid, up: s.up, instances: [...s.guests].map((g) => g.instanceId), failures: s.failures, lastExit: s.lastExit }));
  }

  /** Kills a process as a host failure would (tests and drills): its instances boot again on a new one. */
  async killWorker(index: number): Promise<void> {
    const c = this.shards[index]!.worker;
    if (!alive(c)) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  }

  /** Makes a process's main thread spin without yielding (tests and drills): the stall detection must end it. */
  stallWorker(index: number): void {
    this.send(this.shards[index]!.worker, { t: 'stall' });
  }

  /**
   * Hands the guest to a process and returns before its boot there is over: the boot is a few IPC
   * round trips (volume reads and first-boot writes served by this process's store), each one a
   * wait for the other process's turn on a busy machine, and nothing the API answers needs it.
   * The guest's verbs and sessions wait for it (WorkerGuest.ready); a boot that fails marks the
   * instance impaired, as a failed status check.
   */
  async start(spec: GuestSpec): Promise<RunningGuest> {
    if (this.closing) throw new Error('engine closing');
    // the least loaded shard: one tenant's greedy guest costs at most its shard's share
    const shard = this.shards.reduce((a, b) => (b.guests.size < a.guests.size ? b : a));
    const g = new WorkerGuest(this, shard, this.nextId++, spec);
    shard.guests.add(g);
    g.begin();
    return g;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    process.off('exit', this.killAll);
    // nothing in a child is left to save (volumes are written through this store as they change)
    await Promise.all(
      this.shards.map(async (s) => {
        if (!alive(s.worker)) return;
        const exited = once(s.worker, 'exit');
        s.worker.kill('SIGKILL');
        await exited;
      }),
    );
  }

  // ---- the child's IPC channel ----

  /** A message to a child, if it can still hear (a dead one's channel is closed: its shard is being replaced). */
  send(child: ChildProcess, m: ToWorker): void {
    if (child.connected) child.send(m);
  }

  private spawn(shard: Shard): void {
    const runner = this.o.lifeline ? undefined : pdeathsigRunner();
    const pdeathsig = runner !== undefined;
    const options: EntryOptions = { parentPid: process.pid, heartbeatMs: HEARTBEAT_MS, lifelineMs: pdeathsig ? 0 : LIFELINE_MS, runtimeFlags: [...(this.o.runtimeFlags ?? [])], shellLimits: this.o.shellLimits ?? {} };
    // the server's own flags (a test runner's, an inspector) are not the child's
    // A 1 MB young generation: boots of hundreds of guests grew it to V8's 16 MB semi-spaces and it
    // stayed, ~10 MB a process (1,000 instances: 62 → 53 MB anonymous each); no API row got slower.
    const node = [`--max-old-space-size=${this.o.heapMb}`, '--max-semi-space-size=1', '--enable-experimental-regexp-engine-on-excessive-backtracks'];
    const child = fork(ENTRY, [JSON.stringify(options)], {
      serialization: 'advanced',
      ...(pdeathsig ? { execPath: runner, execArgv: ['--pdeathsig', 'KILL', process.execPath, ...node] } : { execArgv: node }),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    shard.worker = child;
    // The API's process comes first on a shared CPU: guests' work (boots, shells) waits for its turn.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + GUEST_NICENESS));
      } catch {
        // (raising a child's niceness needs no privilege; a process that already exited is the exit handler's)
      }
    }
    shard.lastBeat = Date.now();
    shard.up = false;
    let logged = 0;
    const forward = (stream: Readable | null) => {
      let partial = '';
      stream?.setEncoding('utf8');
      // always read (a full pipe would block the child); log a bounded amount, one printable line at a time
      stream?.on('data', (d: string) => {
        if (logged >= STDIO_LOG_BYTES) return;
        logged += d.length;
        const lines = (partial + d).split('\n');
        partial = lines.pop()!.slice(0, 1000);
        for (const line of lines) if (line.trim()) this.log(`guest process ${shard.index} (pid ${child.pid}): ${line.slice(0, 1000).replace(/[\x00-\x1f\x7f]/g, '?')}`);
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on('message', (m: FromWorker) => this.onMessage(shard, child, m));
    child.on('error', (e) => this.log(`guest process ${shard.index}: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (shard.worker !== child) shard.lastExit = String(signal ?? code); // the replaced one, killed
      else if (!this.closing) {
        shard.lastExit = String(signal ?? code);
        if (shard.up) this.replace(shard, `exited (${signal ?? code})`);
        // it never started (a broken installation, a host out of memory): not in a tight loop
        else setTimeout(() => shard.worker === child && !this.closing && this.replace(shard, `exited before it started (${signal ?? code})`), RESPAWN_PAUSE_MS).unref();
      }
    });
  }

  /** A host failure: sessions close, pending verbs fail, every instance of the shard boots again in a new process. */
  private replace(shard: Shard, why: string): void {
    const old = shard.worker;
    shard.failures++;
    this.log(`guest process ${shard.index} ${why}: restarting its ${shard.guests.size} instance(s) from their volumes`);
    for (const c of shard.calls.values()) c.reject(new Error('the instance host failed'));
    shard.calls.clear();
    for (const s of [...shard.sessions.values()]) s.close();
    shard.sessions.clear();
    this.spawn(shard);
    // preemptive: a process held by a guest step that never yields ends now
    if (alive(old)) old.kill('SIGKILL');
    const now = new Date();
    for (const g of shard.guests) g.hostFailed(now, why);
    for (const g of shard.guests) g.reboot();
  }

  private check(): void {
    const now = Date.now();
    // the server was late itself: heartbeats may be queued unread, so judge nobody this round
    if (now - this.lastTick > 4 * HEARTBEAT_MS) {
      for (const s of this.shards) s.lastBeat = now;
    } else {
      for (const s of this.shards) {
        if (!s.worker) continue;
        // a process still loading its modules (seconds on a loaded machine) is judged by the startup
        // allowance: held to the stall limit, each replacement would be replaced in turn, forever
        const limit = s.up ? this.o.stallMs : Math.max(STARTUP_MS, this.o.stallMs);
        if (now - s.lastBeat > limit) this.replace(s, s.up ? `stalled (no heartbeat for ${now - s.lastBeat} ms)` : `did not start within ${limit} ms`);
      }
    }
    this.lastTick = now;
  }

  private onMessage(shard: Shard, worker: ChildProcess, m: FromWorker): void {
    if (shard.worker !== worker) return; // a replaced process's last words
    shard.lastBeat = Date.now();
    shard.up = true;
    switch (m.t) {
      case 'hb':
        return;
      case 'log':
        return this.log(m.line);
      case 'result': {
        const c = shard.calls.get(m.cid);
        shard.calls.delete(m.cid);
        if (m.ok) c?.resolve(m.value);
        else c?.reject(new Error(m.error));
        return;
      }
      case 'rpc':
        return void this.serve(shard, worker, m);
      case 'boot':
        for (const g of shard.guests) if (g.gid === m.gid) g.bootPhase(m.phase);
        return;
      default:
        shard.sessions.get(m.sid)?.onMessage(m);
    }
  }

  /** A process's volume read/write (or IMDS's pushed keys), served from the server's store. */
  private async serve(shard: Shard, worker: ChildProcess, m: Extract<FromWorker, { t: 'rpc' }>): Promise<void> {
    const reply = (r: Omit<Extract<ToWorker, { t: 'rpc-result' }>, 't' | 'cid'>) => {
      if (shard.worker === worker) this.send(worker, { t: 'rpc-result', cid: m.cid, ...r } as ToWorker);
    };
    try {
      let value: unknown;
      if (m.target === 'pushedKeys') {
        const g = [...shard.guests].find((x) => x.gid === m.gid);
        value = (await g?.spec.metadata.pushedKeys?.()) ?? [];
      } else if (m.target === 'liveInterfaces') {
        const g = [...shard.guests].find((x) => x.gid === m.gid);
        value = await g?.spec.metadata.liveInterfaces?.();
      } else {
        const fn = (this.blockData as unknown as Record<string, unknown>)[m.method];
        if (typeof fn !== 'function' || m.method.startsWith('_')) throw new Error(`no block data method ${m.method}`);
        value = await (fn as (...a: unknown[]) => Promise<unknown>).apply(this.blockData, m.args.map(asBuffer));
      }
      reply({ ok: true, value });
    } catch (e) {
      reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /**
   * The volumes' own layers, read here for a boot's start message: their reads would otherwise be
   * the boot's first IPC round trips (the process asks, this one answers), each a wait for the
   * other process's turn on a busy machine.
   */
  async preload(volumeIds: readonly string[]): Promise<PreloadedVolume[]> {
    return Promise.all(
      volumeIds.map(async (id) => {
        const load = await this.blockData.load(id);
        const rows = (load?.data as { format?: string } | undefined)?.format === 'ec2lite-fs-rows/1';
        return { id, load, ...(rows ? { loadRows: await this.blockData.loadRows(id) } : {}) };
      }),
    );
  }

  call(shard: Shard, m: Extract<ToWorker, { t: 'start' | 'call' }> extends infer T ? (T extends { cid: number } ? Omit<T, 'cid'> : never) : never): Promise<unknown> {
    const cid = this.nextId++;
    return new Promise((resolve, reject) => {
      // a process already gone fails the verb now (its replacement is on its way: verbs wait for the reboot)
      if (!shard.worker.connected) return reject(new Error('the instance host failed'));
      shard.calls.set(cid, { resolve, reject });
      this.send(shard.worker, { ...m, cid } as ToWorker);
    });
  }

  sessionId(): number {
    return this.nextId++;
  }
}

/** The runtime's handle on a guest in a worker; it survives the worker (the guest boots again in the replacement). */
class WorkerGuest implements RunningGuest {
  readonly instanceId: string;
  /** The image's (known here: the answer to a boot need not be awaited for it). */
  readonly defaultUser: string;
  readonly sessions: SessionHandlers;
  /** Attached volumes now (boot set, then hot plug): what a reboot after a host failure attaches. */
  private attached: GuestVolume[];
  /** Its boot in its process (never rejects): sessions start after it. */
  private ready: Promise<void> = Promise.resolve();
  /**
   * Its latest boot's start message has left (never rejects): verbs follow it on the IPC channel
   * and the process runs them after that boot, without a round trip to wait for its answer here.
   */
  private sent: Promise<void> = Promise.resolve();
  /** Boots asked of a process so far: an answer to an earlier one, after a host failure, is stale. */
  private boots = 0;
  private gone = false;
  /** A boot failed in its process (not a host failure): it is impaired and not booted again. */
  private failed = false;
  /** Inside its boot now (the worker said so): volumes loading, cloud-init's scripts running. */
  private booting = false;
  /** Its worker failed while it was inside its boot (once): if that happens again, its boot is the cause. */
  private suspect = false;
  /** Its status check failed: it boots without its scripts (set here, or by the runtime from the record). */
  private impaired: { since: string } | undefined;

  constructor(
    private readonly engine: WorkerEngine,
    private readonly shard: Shard,
    readonly gid: number,
    readonly spec: GuestSpec,
  ) {
    this.instanceId = spec.instanceId;
    this.defaultUser = spec.image.defaultUser;
    this.attached = [...spec.attached];
    this.impaired = spec.impaired;
    this.sessions = {
      exec: (ch, command) => this.bridge(ch, 'exec', command),
      shell: (ch) => this.bridge(ch, 'shell'),
      sftpProtocol: (s) => this.bridgeSftp(s),
    };
  }

  private wireSpec(): WireSpec {
    const { pushedKeys, liveInterfaces, ...metadata } = this.spec.metadata;
    const { onImpaired: _callback, traffic: _traffic, hostKey: _hostKey, ...spec } = this.spec; // (functions do not cross to the worker)
    return { ...spec, impaired: this.impaired, attached: this.attached, metadata: { ...metadata, hasPushedKeys: !!pushedKeys, hasLiveInterfaces: !!liveInterfaces } };
  }

  bootPhase(phase: 'begin' | 'end'): void {
    this.booting = phase === 'begin';
    // a boot that ended on its own was not what took the host down
    if (phase === 'end') this.suspect = false;
  }

  /**
   * Its worker failed. A boot step that never yields (or fills the heap) runs again at each boot
   * (bootcmd runs at every boot): the second failure inside its boot marks the instance impaired,
   * and it boots again without its scripts — the worker is not taken down in a loop. One failure
   * only makes it a suspect: other guests booting on the same worker at that moment were not the
   * cause, and boot again normally.
   */
  hostFailed(at: Date, why: string): void {
    if (this.booting && !this.impaired) {
      if (this.suspect) {
        this.impaired = { since: at.toISOString() };
        this.spec.onImpaired?.(at, `its boot ended its guest worker twice (${why})`);
      } else this.suspect = true;
    }
    this.booting = false;
  }

  /** The first boot, asked of its process now and answered later (start() does not wait for it). */
  begin(): void {
    this.ready = this.boot();
  }

  /**
   * After a host failure: boots again in the shard's new process (verbs wait for it), whether its
   * first boot was over or not.
   */
  reboot(): void {
    if (this.gone || this.failed) return;
    this.ready = this.boot();
  }

  private async boot(): Promise<void> {
    const attempt = ++this.boots;
    let leave!: () => void;
    this.sent = new Promise((resolve) => (leave = resolve));
    try {
      let started: Promise<unknown>;
      try {
        const preload = await this.engine.preload([this.spec.root.volumeId, ...this.attached.map((v) => v.volumeId)]);
        started = this.engine.call(this.shard, { t: 'start', gid: this.gid, spec: this.wireSpec(), preload });
      } finally {
        leave();
      }
      await started;
    } catch (e) {
      // its host failed meanwhile (reboot() asked again), or it was stopped: nothing to report
      if (attempt !== this.boots || this.gone || /the instance host failed/.test(e instanceof Error ? e.message : '')) return;
      // Its guest could not boot (its volume unreadable…): the instance runs with its status check
      // failed, as an EC2 instance whose OS does not come up; sessions and verbs find no guest.
      this.failed = true;
      const reason = `its guest did not boot (${e instanceof Error ? e.message : String(e)})`;
      this.impaired ??= { since: new Date().toISOString() };
      this.spec.onImpaired?.(new Date(this.impaired.since), reason);
    }
  }

  private async verb(verb: GuestVerb, ...args: unknown[]): Promise<unknown> {
    await this.sent;
    return this.engine.call(this.shard, { t: 'call', gid: this.gid, verb, args });
  }

  async attach(v: GuestVolume): Promise<void> {
    await this.verb('attach', v);
    this.attached.push(v);
  }

  async detach(volumeId: string): Promise<void> {
    await this.verb('detach', volumeId);
    this.attached = this.attached.filter((v) => v.volumeId !== volumeId);
  }

  hasVolume(volumeId: string): boolean {
    return this.spec.root.volumeId === volumeId || this.attached.some((v) => v.volumeId === volumeId);
  }

  /** Busy detach (ebsasg): the worker's guest answers whether the volume is mounted. */
  async consoleLog(maxBytes: number): Promise<string | undefined> {
    const v = await this.verb('consoleLog', maxBytes);
    return typeof v === 'string' ? v : undefined;
  }

  async isMounted(volumeId: string): Promise<boolean> {
    return (await this.verb('isMounted', volumeId)) === true;
  }

  /** ModifyVolume grew a volume: the worker's guest sees the size now; a boot after a host failure too. */
  async resize(volumeId: string, sizeGiB: number): Promise<void> {
    await this.verb('resize', volumeId, sizeGiB);
    if (this.spec.root.volumeId === volumeId) this.spec.root = { ...this.spec.root, sizeGiB };
    this.attached = this.attached.map((v) => (v.volumeId === volumeId ? { ...v, sizeGiB } : v));
  }

  async flush(): Promise<void> {
    await this.verb('flush');
  }

  async stop(): Promise<void> {
    await this.end('stop');
  }

  async abandon(): Promise<void> {
    await this.end('abandon');
  }

  private async end(verb: 'stop' | 'abandon'): Promise<void> {
    try {
      await this.verb(verb);
    } catch {
      // its worker failed meanwhile: nothing is left to stop (the volumes hold what was saved)
    } finally {
      this.gone = true;
      this.shard.guests.delete(this);
      for (const [sid, s] of this.shard.sessions) if (s.gid === this.gid) (s.close(), this.shard.sessions.delete(sid));
    }
  }

  setMetadataOptions(o: Partial<MetadataOptions>): void {
    this.spec.metadataOptions = { ...this.spec.metadataOptions, ...o };
    void this.verb('setMetadataOptions', o).catch(() => undefined);
  }

  setIamInstanceProfile(profile: IamInstanceProfileRef | undefined): void {
    // kept in the spec too: a boot after a host failure shows the association of now
    this.spec.metadata.iamInstanceProfile = profile;
    void this.verb('setIamInstanceProfile', profile).catch(() => undefined);
  }

  async authorizedKeys(user: string): Promise<AuthorizedKeysLookup> {
    return (await this.verb('authorizedKeys', user)) as AuthorizedKeysLookup;
  }

  // ---- sessions ----

  /**
   * How a session's messages reach its worker: the opening message once the guest is up (it may
   * be booting again after a host failure), messages before that in order after it, none to a
   * worker that has since been replaced.
   */
  private sessionPort(shard: Shard, _sid: number, isOpen: () => boolean, opening: ToWorker): (m: ToWorker) => void {
    const queue: ToWorker[] = [];
    let worker: ChildProcess | undefined;
    void this.ready.then(() => {
      if (!isOpen()) return;
      worker = shard.worker;
      this.engine.send(worker, opening);
      for (const m of queue.splice(0)) this.engine.send(worker, m);
    });
    return (m) => {
      if (!isOpen()) return;
      if (!worker) queue.push(m);
      else if (shard.worker === worker) this.engine.send(worker, m);
    };
  }

  private bridge(ch: SessionChannel, kind: 'exec' | 'shell', command?: string): void {
    const sid = this.engine.sessionId();
    const shard = this.shard;
    let open = true;
    const post = this.sessionPort(shard, sid, () => open, { t: 'open', sid, gid: this.gid, kind, command, user: ch.user, remote: ch.remoteAddress, pty: ch.pty, env: { ...ch.env } });
    const close = () => {
      open = false;
      shard.sessions.delete(sid);
    };
    shard.sessions.set(sid, {
      gid: this.gid,
      // the host failed: the channel closes without an exit status, as when sshd's host goes
      close: () => {
        close();
        ch.stream.destroy();
      },
      onMessage: (m) => {
        if (m.t === 'out') {
          const target = m.err ? ch.stderr : ch.stream;
          const n = m.data.byteLength;
          if (ch.stream.destroyed || target.write(asBuffer(m.data) as Buffer)) post({ t: 'ack', sid, n });
          else target.once('drain', () => post({ t: 'ack', sid, n }));
        } else if (m.t === 'exit') {
          close();
          ch.exit(m.how);
        } else if (m.t === 'in-pause') {
          if (!ch.stream.destroyed) ch.stream.pause();
        } else if (m.t === 'in-resume') {
          if (!ch.stream.destroyed) ch.stream.resume();
        }
      },
    });
    ch.stream.on('data', (d: Buffer) => post({ t: 'in', sid, data: d }));
    ch.stream.on('end', () => post({ t: 'in-end', sid }));
    ch.stream.on('close', () => {
      post({ t: 'in-close', sid });
      close();
    });
    ch.onResize((size) => post({ t: 'resize', sid, size }));
    ch.onSignal((name) => post({ t: 'signal', sid, name }));
  }

  private bridgeSftp(s: SftpSession): boolean {
    const sid = this.engine.sessionId();
    const shard = this.shard;
    const sftp = s.open();
    const real = sftp as unknown as Record<string, (...a: unknown[]) => unknown> & { outgoing: { id: number; state: string }; _protocol: { exitStatus(id: number, code: number): void; channelEOF(id: number): void } };
    let open = true;
    const post = this.sessionPort(shard, sid, () => open, { t: 'sftp-open', sid, gid: this.gid, user: s.user, remote: s.remoteAddress });
    const close = () => {
      open = false;
      shard.sessions.delete(sid);
    };
    shard.sessions.set(sid, {
      gid: this.gid,
      close: () => {
        close();
        sftp.destroy();
      },
      onMessage: (m) => {
        if (m.t === 'sftp-refused') {
          close();
          sftp.end();
        } else if (m.t === 'sftp-call') {
          if (m.method === 'exitStatus') {
            if (real.outgoing.state === 'open') real._protocol.exitStatus(real.outgoing.id, m.args[0] as number);
          } else if (m.method === 'channelEOF') {
            if (real.outgoing.state === 'open') real._protocol.channelEOF(real.outgoing.id);
          } else if (['status', 'handle', 'data', 'name', 'attrs', 'end'].includes(m.method)) {
            real[m.method]!.apply(sftp, m.args.map(asBuffer));
          }
        }
      },
    });
    for (const ev of SFTP_EVENTS) sftp.on(ev as never, (...args: unknown[]) => post({ t: 'sftp-ev', sid, ev, args }));
    s.onClientEof(() => post({ t: 'sftp-eof', sid }));
    sftp.on('close', () => {
      post({ t: 'in-close', sid });
      close();
    });
    return true;
  }
}
