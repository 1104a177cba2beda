// The running side of instances: one simulated guest and one SSH endpoint per running
// instance, state transitions after short configurable delays, and recovery after a restart.
// The store holds the truth (state, addresses, volumes); this holds what lives in memory.
// Across nodes on one database, each instance that should be up has one owning node: the holder
// of the lease `instance/<id>` (docs/scaling.md, "Instances across nodes"). Only the holder runs
// its guest; a node that must act on a guest another node runs asks for the lease and waits for
// the holder to save and hand it over; a dead holder's instances are adopted once its leases expire.
import type { InstanceGuest, SshEndpoint } from '../guest/index.js';
import { LayeredVolumeStore } from '../guest/fs/layered-store.js';
import { imageTemplate } from '../guest/images.js';

// The guest (and ssh2 with it) loads when the first instance boots: a server that only serves
// key pairs starts faster and smaller.
const loadGuest = () => import('../guest/index.js');
import type { InstanceRecord, InstanceStateName, Scope, Store } from '../store/port.js';
import { privateDnsName } from './addresses.js';
import { hostKeyFromSeed } from './host-key.js';
import { settleTermination } from './lifecycle.js';
import { settled } from './volume-state.js';

export interface RuntimeOptions {
  readonly store: Store;
  /** pending → running, stopping → stopped, shutting-down → terminated. */
  readonly delays: { start: number; stop: number; terminate: number };
  /** Time in creating/attaching/detaching (volumes) and pending (snapshots, images). */
  readonly storageDelayMs?: number;
  /** Port each instance's SSH endpoint tries first on its own address (22 as on AWS); 0 = any. */
  readonly sshPort: number;
  readonly log: (line: string) => void;
  /** This node's name in the lease table. */
  readonly nodeId: string;
  readonly leases?: LeaseTimings;
}

export interface LeaseTimings {
  /** How often this node renews its instance leases, answers hand-over requests and adopts orphans. */
  readonly renewMs: number;
  /** How long a lease lasts without renewal: a dead node's instances move after this long. */
  readonly leaseMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = { renewMs: 2000, leaseMs: 10_000 };

/** What a lease's holder publishes: the instance's scope (to adopt it) and, once up, its SSH endpoint. */
interface LeaseInfo {
  accountId: string;
  region: string;
  host?: string;
  port?: number;
  user?: string;
}

const LEASE_PREFIX = 'instance/';
/** Orphaned instances booted in parallel during one tick. */
const ADOPTIONS_AT_ONCE = 4;
const leaseName = (instanceId: string) => `${LEASE_PREFIX}${instanceId}`;
const infoOf = (scope: Scope, extra: Partial<LeaseInfo> = {}): string =>
  JSON.stringify({ accountId: scope.accountId, region: scope.region, ...extra });
const parseInfo = (info: string | undefined): LeaseInfo | undefined => {
  try {
    return info ? (JSON.parse(info) as LeaseInfo) : undefined;
  } catch {
    return undefined;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Live {
  scope: Scope;
  guest: InstanceGuest;
  ssh: SshEndpoint;
}

export class InstanceRuntime {
  private readonly live = new Map<string, Live>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** One chain per instance so transitions of an instance never interleave. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private closed = false;
  /** Instances whose lease this node holds, with their scope. */
  private readonly owned = new Map<string, Scope>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Fires one renewal period before this node's leases could expire unrenewed (a hung or failing database). */
  private watchdog: NodeJS.Timeout | undefined;
  /** Where volume and snapshot contents live (copy on write over the store). */
  readonly volumes: LayeredVolumeStore;
  readonly timings: LeaseTimings;

  constructor(private readonly opts: RuntimeOptions) {
    this.volumes = new LayeredVolumeStore(opts.store.blockData, (key) => imageTemplate(key).rootSnapshot());
    this.timings = opts.leases ?? DEFAULT_LEASE_TIMINGS;
  }

  get nodeId(): string {
    return this.opts.nodeId;
  }

  /** AttachVolume on a running instance: the device appears in the guest at once (hot plug). */
  async attachToGuest(instanceId: string, volumeId: string, device: string, sizeGiB: number): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      const l = this.live.get(instanceId);
      if (!l || l.guest.blockDevices().some((d) => d.volumeId === volumeId)) return;
      // The attachment is already recorded: a guest that cannot take the device logs it and
      // gets the volume at its next boot, as a hot-plug the kernel missed would.
      await l.guest.attachVolume(volumeId, device, sizeGiB).catch((e: unknown) =>
        this.opts.log(`hot attach of ${volumeId} to ${instanceId} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    });
  }

  /** Whether a running instance has the volume mounted (a plain DetachVolume then stays `busy`). */
  isMountedInGuest(instanceId: string, volumeId: string): boolean {
    return this.live.get(instanceId)?.guest.isMounted(volumeId) ?? false;
  }

  /** DetachVolume on a running instance: mounts of the volume vanish, its contents are saved. */
  async detachFromGuest(instanceId: string, volumeId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      const l = this.live.get(instanceId);
      if (l && l.guest.blockDevices().some((d) => d.volumeId === volumeId && !d.isRoot)) await l.guest.detachVolume(volumeId);
    });
  }

  /** Runs `fn` after the instance's pending transitions (CreateImage reads volumes in between). */
  quiesce<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    return this.serial(instanceId, fn);
  }

  /** Saves a running guest's volumes now (before a snapshot of them is taken). */
  async flush(instanceId: string): Promise<void> {
    // A guest on another node saves as it hands over; this node then runs it (and saves it again, a no-op).
    if (!this.live.has(instanceId)) await this.serial(instanceId, () => this.bringHere(instanceId));
    await this.live.get(instanceId)?.guest.persist();
  }

  get storageDelayMs(): number {
    return this.opts.storageDelayMs ?? 500;
  }

  /** Whether the instance's guest is up (AttachVolume hot-plugs into it). */
  isLive(instanceId: string): boolean {
    return this.live.has(instanceId);
  }

  /** The guest of a running instance (tests and the console use it). */
  guest(instanceId: string): InstanceGuest | undefined {
    return this.live.get(instanceId)?.guest;
  }

  sshEndpoint(instanceId: string): { host: string; port: number } | undefined {
    const l = this.live.get(instanceId);
    return l && { host: l.ssh.host, port: l.ssh.port };
  }

  runningCount(): number {
    return this.live.size;
  }

  /**
   * After RunInstances or StartInstances: the guest boots and its SSH endpoint listens now, before
   * the action answers `pending`; `running` shows once the start delay (counted from `since`) has
   * passed — at once with the default delay of 0, so a waiter's first DescribeInstances, however
   * late or early it comes and however busy the machine, finds the instance running and reachable.
   */
  async boot(scope: Scope, instanceId: string, since: Date): Promise<void> {
    try {
      await this.serial(instanceId, async () => {
        await this.take(scope, instanceId);
        await this.bootGuest(scope, instanceId);
      });
    } catch (e) {
      this.opts.log(`instance ${instanceId} did not boot: ${e instanceof Error ? e.stack : String(e)}`);
      return; // it stays pending, as before
    }
    await this.settleAfter(since.getTime() + this.opts.delays.start - Date.now(), scope, instanceId, 'pending', 'running');
  }

  /** StopInstances: close sessions now, flush volumes, then `stopped` after the stop delay. */
  async stop(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.take(scope, instanceId);
      await this.shutDown(instanceId);
    });
    await this.settleAfter(this.opts.delays.stop, scope, instanceId, 'stopping', 'stopped');
  }

  /** TerminateInstances: access ends now; `terminated` after the delay. */
  async terminate(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.take(scope, instanceId);
      await this.shutDown(instanceId);
    });
    await this.settleAfter(this.opts.delays.terminate, scope, instanceId, 'shutting-down', 'terminated');
  }

  /** A transition's end: now (before the action answers) when its delay is over, else on a timer. */
  private async settleAfter(ms: number, scope: Scope, instanceId: string, from: InstanceStateName, to: InstanceStateName): Promise<void> {
    const settle = () => this.serial(instanceId, () => this.settle(scope, instanceId, from, to));
    if (ms <= 0) await settle();
    else this.after(ms, settle);
  }

  /** RebootInstances: sessions end, the guest comes back with the same disk (first boot does not run again). */
  async reboot(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      // A guest running on another node comes here (it restarts in moving, which is the reboot).
      if (!this.live.has(instanceId) && !(await this.bringHere(instanceId))) return;
      await this.shutDown(instanceId);
      await this.bootGuest(scope, instanceId);
    });
  }

  async setMetadataOptions(instanceId: string, options: InstanceRecord['metadataOptions']): Promise<void> {
    await this.serial(instanceId, () => this.bringHere(instanceId));
    this.live.get(instanceId)?.guest.setMetadataOptions(options);
  }

  /**
   * On server start: bring back every instance that should be up and has no live owner (on SQLite,
   * or the first node on a database, that is all of them); finish interrupted transitions. Then
   * keep this node's leases renewed and adopt those of dead nodes.
   */
  async resume(): Promise<void> {
    for (const { scope, instance } of await this.opts.store.instances.listLive()) {
      if (instance.state === 'stopped') continue;
      const mine = await this.opts.store.leases.acquire(leaseName(instance.instanceId), this.opts.nodeId, this.timings.leaseMs, infoOf(scope));
      if (!mine) continue;
      this.owned.set(instance.instanceId, scope);
      await this.adopt(scope, instance.instanceId, instance.state);
    }
    this.armWatchdog(Date.now() + this.timings.leaseMs);
    this.scheduleTick();
  }

  /** Brings an instance this node just got the lease of to where its state says it should be. */
  private async adopt(scope: Scope, instanceId: string, state: InstanceStateName): Promise<void> {
    switch (state) {
      case 'pending':
        await this.boot(scope, instanceId, new Date(0));
        break;
      case 'running':
        await this.serial(instanceId, () => this.bootGuest(scope, instanceId)).catch((e) =>
          this.opts.log(`could not resume ${instanceId}: ${e instanceof Error ? e.message : String(e)}`),
        );
        break;
      case 'stopping':
        await this.serial(instanceId, () => this.settle(scope, instanceId, 'stopping', 'stopped'));
        break;
      case 'shutting-down':
        await this.serial(instanceId, () => this.settle(scope, instanceId, 'shutting-down', 'terminated'));
        break;
      default:
        await this.letGo(instanceId); // stopped or terminated: nothing to run
    }
  }

  /**
   * Makes this node the instance's owner: at once when the lease is free, expired or already
   * ours; when another node holds it, asks that node to save the guest and hand the lease over,
   * and waits (a dead holder's lease expires meanwhile). Runs inside the instance's chain.
   */
  private async take(scope: Scope, instanceId: string): Promise<void> {
    const name = leaseName(instanceId);
    const { leases } = this.opts.store;
    const deadline = Date.now() + this.timings.leaseMs + 3 * this.timings.renewMs;
    while (!(await leases.acquire(name, this.opts.nodeId, this.timings.leaseMs, this.live.has(instanceId) ? undefined : infoOf(scope)))) {
      if (this.closed || Date.now() > deadline) throw new Error(`instance ${instanceId}: its owning node did not hand it over`);
      await leases.want(name, this.opts.nodeId);
      await sleep(Math.max(10, Math.min(200, this.timings.renewMs / 4)));
    }
    this.owned.set(instanceId, scope);
  }

  /**
   * For actions that only know the instance id (volumes, metadata options): when another node
   * runs the guest, take it over and boot it here. Returns whether the guest now runs here.
   */
  private async bringHere(instanceId: string): Promise<boolean> {
    if (this.live.has(instanceId)) return true;
    const holder = await this.opts.store.leases.holder(leaseName(instanceId));
    const info = parseInfo(holder?.info);
    // No live holder: the instance runs nowhere (stopped), or its dead owner's lease is about to be adopted.
    if (!holder || !info || holder.owner === this.opts.nodeId) return false;
    const scope = { accountId: info.accountId, region: info.region };
    await this.take(scope, instanceId);
    await this.bootGuest(scope, instanceId);
    return this.live.has(instanceId);
  }

  /** Where an instance's SSH endpoint listens, whichever node runs it (the SSH-info route asks). */
  async locate(instanceId: string): Promise<{ host: string; port: number; user: string; node: string } | undefined> {
    const here = this.sshInfo(instanceId);
    if (here) return { ...here, node: this.opts.nodeId };
    const holder = await this.opts.store.leases.holder(leaseName(instanceId));
    const info = parseInfo(holder?.info);
    if (!holder || info?.host === undefined || info.port === undefined) return undefined;
    return { host: info.host, port: info.port, user: info.user ?? 'ec2-user', node: holder.owner };
  }

  private scheduleTick(ms = this.timings.renewMs): void {
    if (this.closed) return;
    this.leaseTimer = setTimeout(() => {
      let more = false;
      this.ticking = this.tick()
        .then((m) => void (more = m))
        .catch((e) => this.opts.log(`instance leases: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          this.ticking = undefined;
          // Orphans left over: the next tick (a renewal, then more adoptions) comes at once.
          this.scheduleTick(more ? 0 : this.timings.renewMs);
        });
    }, ms);
  }

  /** Renews this node's leases, hands over the wanted ones, drops lost ones, adopts expired ones; true when orphans are left. */
  private async tick(): Promise<boolean> {
    const { leases } = this.opts.store;
    const sentAt = Date.now();
    // Only leases held before the renewal was sent can be missing from its answer because they were lost.
    const ownedBefore = [...this.owned.keys()];
    const held = await leases.renewAll(this.opts.nodeId, LEASE_PREFIX, this.timings.leaseMs);
    this.armWatchdog(sentAt + this.timings.leaseMs);
    const heldIds = new Set(held.map((h) => h.name.slice(LEASE_PREFIX.length)));
    for (const id of ownedBefore) {
      if (heldIds.has(id) || !this.owned.has(id) || this.chains.has(id)) continue;
      // Another node took the lease (ours had expired): its guest is the instance now; ours must not save.
      this.owned.delete(id);
      const l = this.live.get(id);
      if (l) {
        this.live.delete(id);
        this.opts.log(`instance ${id}: lease lost; guest dropped`);
        await l.ssh.close();
        await l.guest.abandon();
      }
    }
    for (const h of held) {
      const id = h.name.slice(LEASE_PREFIX.length);
      if (this.closed) return false;
      if (!h.wantedBy) {
        // Held but not run here (its guest was stopped by the watchdog): let it expire now, to be adopted.
        if (!this.owned.has(id) && !this.chains.has(id)) await leases.acquire(h.name, this.opts.nodeId, -1);
        continue;
      }
      await this.serial(id, async () => {
        await this.shutDown(id); // sessions end; the guest's volumes are saved
        this.owned.delete(id);
        if (await leases.handOver(h.name, this.opts.nodeId, this.timings.leaseMs)) this.opts.log(`instance ${id} handed over to ${h.wantedBy}`);
      });
    }
    // Adoption gets half a renewal period per tick (a few boots at a time): the next renewal must
    // not wait behind hundreds of boots, and the rest is left to the next tick, or to other nodes.
    const orphans = await leases.expired(LEASE_PREFIX);
    const budgetEnd = sentAt + this.timings.renewMs / 2;
    const adoptNext = async (): Promise<void> => {
      for (let orphan = orphans.shift(); orphan && !this.closed && Date.now() < budgetEnd; orphan = orphans.shift()) {
        await this.adoptOrphan(orphan.name, orphan.info);
      }
    };
    await Promise.all(Array.from({ length: ADOPTIONS_AT_ONCE }, adoptNext));
    return orphans.length > 0;
  }

  private async adoptOrphan(name: string, published: string | undefined): Promise<void> {
    const id = name.slice(LEASE_PREFIX.length);
    const info = parseInfo(published);
    if (!info) return;
    const scope = { accountId: info.accountId, region: info.region };
    // The dead node's endpoint goes from the lease at once; this node's is published once it listens.
    if (!(await this.opts.store.leases.acquire(name, this.opts.nodeId, this.timings.leaseMs, infoOf(scope)))) return;
    const [record] = await this.opts.store.instances.list(scope, [id]);
    this.owned.set(id, scope);
    this.opts.log(`instance ${id}: adopted (its node stopped renewing)`);
    await this.adopt(scope, id, record?.state ?? 'terminated');
  }

  /**
   * After each successful renewal: if no other succeeds in time, the guests stop before the leases
   * can expire (a renewal stuck on a silent database included), so no instance runs on two nodes.
   */
  private armWatchdog(validUntil: number): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.closed) return;
    this.watchdog = setTimeout(() => {
      this.fence('lease renewals failing').catch((e) => this.opts.log(`instance leases: ${e instanceof Error ? e.message : String(e)}`));
    }, Math.max(0, validUntil - this.timings.renewMs - Date.now()));
    this.watchdog.unref();
  }

  /** Shuts every guest down (saving) because this node may no longer hold their leases. */
  private async fence(why: string): Promise<void> {
    if (this.live.size === 0) return;
    this.opts.log(`instance leases: ${why}; stopping ${this.live.size} guests until renewals succeed`);
    // Not behind the instances' chains: one may be stuck on the same silent database.
    await Promise.allSettled(
      [...this.live.keys()].map((id) => {
        this.owned.delete(id);
        return this.shutDown(id);
      }),
    );
  }

  /** Gives up this node's lease of an instance that needs no guest (stopped, terminated). */
  private async letGo(instanceId: string): Promise<void> {
    this.owned.delete(instanceId);
    await this.opts.store.leases.release(leaseName(instanceId), this.opts.nodeId);
  }

  /** Server shutdown: close endpoints and flush volumes; instance states stay as they are. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    await this.ticking;
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.live.keys()].map((id) => this.shutDown(id)));
    // Expire (not delete) the leases: another node adopts the instances at its next tick, and a
    // restarted single node takes them back at start.
    await Promise.allSettled([...this.owned.keys()].map((id) => this.opts.store.leases.acquire(leaseName(id), this.opts.nodeId, -1)));
  }

  private after(ms: number, fn: () => Promise<unknown>): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn().catch((e) => this.opts.log(`instance transition failed: ${e instanceof Error ? e.stack : String(e)}`));
    }, ms);
    this.timers.add(t);
  }

  private serial<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(instanceId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.chains.set(instanceId, settled);
    void settled.then(() => {
      if (this.chains.get(instanceId) === settled) this.chains.delete(instanceId);
    });
    return next;
  }

  /** Starts the guest and its SSH endpoint; the state is left to settle(). */
  private async bootGuest(scope: Scope, instanceId: string): Promise<void> {
    if (this.closed || this.live.has(instanceId)) return;
    const [record] = await this.opts.store.instances.list(scope, [instanceId]);
    if (!record || (record.state !== 'pending' && record.state !== 'running')) return;
    const userData = await this.opts.store.instances.userData(scope, instanceId);
    const { InstanceGuest, startSshEndpoint } = await loadGuest();
    const now = new Date();
    const attached = (await this.opts.store.volumes.attachedTo(scope, [instanceId]))
      .map((v) => settled(v, now))
      .filter((v) => v.state !== 'deleted' && v.attachment?.instanceId === instanceId);
    const root = attached.find((v) => v.attachment!.device === record.rootDeviceName);
    if (!root) throw new Error(`${instanceId} has no volume at its root device ${record.rootDeviceName}`);
    // A root whose contents were never written (a crash between RunInstances' two writes) starts from its image.
    if (!(await this.volumes.load(root.volumeId)) && record.rootSource) await this.volumes.create(root.volumeId, record.rootSource);
    const guest = await InstanceGuest.start({
      instanceId,
      image: imageTemplate(record.imageTemplate),
      rootVolume: { volumeId: root.volumeId, device: record.rootDeviceName, sizeGiB: root.size },
      attached: attached.filter((v) => v !== root).map((v) => ({ volumeId: v.volumeId, device: v.attachment!.device, sizeGiB: v.size })),
      volumes: this.volumes,
      metadata: {
        instanceId,
        amiId: record.imageId,
        instanceType: record.instanceType,
        region: scope.region,
        availabilityZone: record.availabilityZone,
        accountId: scope.accountId,
        localIpv4: record.privateIp,
        localHostname: privateDnsName(record.privateIp, scope.region),
        publicIpv4: record.publicIp,
        reservationId: record.reservationId,
        amiLaunchIndex: record.amiLaunchIndex,
        rootDeviceName: record.rootDeviceName,
        launchTime: record.launchTime.toISOString(),
        launchKey: record.launchKey,
        userData: userData === undefined ? undefined : Buffer.from(userData, 'base64'),
      },
      metadataOptions: record.metadataOptions,
    });
    let ssh: SshEndpoint;
    try {
      ssh = await startSshEndpoint({
        host: record.publicIp,
        port: record.sshPort ?? this.opts.sshPort,
        hostKey: hostKeyFromSeed(record.hostKeySeed),
        guest,
        fallbackToEphemeral: true,
        log: this.opts.log,
      });
    } catch (e) {
      await guest.stop();
      throw e;
    }
    this.live.set(instanceId, { scope, guest, ssh });
    this.owned.set(instanceId, scope);
    // Publish the endpoint in the lease: the SSH-info route of any node answers with it.
    const stillOurs = await this.opts.store.leases.acquire(
      leaseName(instanceId),
      this.opts.nodeId,
      this.timings.leaseMs,
      infoOf(scope, { host: ssh.host, port: ssh.port, user: guest.image.defaultUser }),
    );
    if (!stillOurs) {
      this.live.delete(instanceId);
      this.owned.delete(instanceId);
      await ssh.close();
      await guest.abandon();
      throw new Error(`${instanceId}: another node owns it`);
    }
    // A pending instance records its port when it shows running (StopInstances tells a first launch
    // that never ran by its missing port); a resumed running one may have had to take another port.
    await this.opts.store.instances.update(scope, instanceId, (r) => (r.state === 'running' ? { ...r, sshPort: ssh.port } : r));
    this.opts.log(`instance ${instanceId} booted; ssh ${record.publicIp} port ${ssh.port}`);
  }

  private async shutDown(instanceId: string): Promise<void> {
    const l = this.live.get(instanceId);
    if (!l) return;
    this.live.delete(instanceId);
    await l.ssh.close();
    await l.guest.stop();
  }

  private async settle(scope: Scope, instanceId: string, from: InstanceStateName, to: InstanceStateName): Promise<void> {
    if (to === 'running' && !this.live.has(instanceId)) return; // stopped or terminated meanwhile
    if (to === 'terminated') {
      const [current] = await this.opts.store.instances.list(scope, [instanceId]);
      if (!current || current.state !== from) return;
      await settleTermination(this.opts.store, scope, instanceId, (id) => this.volumes.remove(id));
    }
    const port = to === 'running' ? this.live.get(instanceId)?.ssh.port : undefined;
    const next = await this.opts.store.instances.update(scope, instanceId, (r) =>
      r.state === from ? { ...r, state: to, ...(port === undefined ? {} : { sshPort: port }) } : r,
    );
    if (!next || next.state === 'stopped' || next.state === 'terminated') await this.letGo(instanceId);
  }

  /** Where a running instance's SSH endpoint listens and who logs in by default (the `ssh` command asks). */
  sshInfo(instanceId: string): { host: string; port: number; user: string } | undefined {
    const l = this.live.get(instanceId);
    return l && { host: l.ssh.host, port: l.ssh.port, user: l.guest.image.defaultUser };
  }
}
