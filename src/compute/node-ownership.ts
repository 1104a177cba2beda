// Which node runs an instance. Across nodes on one database, each instance that should be up has
// one owning node: the holder of the lease `instance/<id>` (docs/scaling.md, "Instances across
// nodes"). Only the holder runs its guest; a node that must act on a guest another node runs asks
// for the lease and waits for the holder to save and hand it over; a dead holder's instances are
// adopted once its leases expire. The runtime (instance-runtime.ts) keeps per-instance chains and
// state settling, and calls this for the lease; this calls back into the runtime (OwnedGuests)
// to boot, shut down or drop guests.
//
// Pinning: an engine whose volume bytes live on one host's disk (GuestEngine.portableVolumes
// false) cannot boot an instance on another node. Its lease says so (`pinnedTo`): the holder
// never hands it over, and no other node adopts it when it expires — the instance waits for its
// node to come back (as an EC2 instance on a failed host waits for the host's recovery), and
// asking another node to act on it is an error naming the node.
import type { InstanceStateName, Scope, Store } from '../store/port.js';

export interface LeaseTimings {
  /** How often this node renews its instance leases, answers hand-over requests and adopts orphans. */
  readonly renewMs: number;
  /** How long a lease lasts without renewal: a dead node's instances move after this long. */
  readonly leaseMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = { renewMs: 2000, leaseMs: 10_000 };

/** What a lease's holder publishes: the instance's scope (to adopt it) and, once up, its SSH endpoint. */
export interface LeaseInfo {
  accountId: string;
  region: string;
  host?: string;
  port?: number;
  user?: string;
  /** Set for instances whose volume bytes live on that node only: no other node may run them. */
  pinnedTo?: string;
}

/** What ownership needs from the runtime that runs the guests. */
export interface OwnedGuests {
  /** Whether the instance's guest runs here. */
  isLive(instanceId: string): boolean;
  liveIds(): string[];
  /** Whether a transition of the instance is in progress (its chain is not empty). */
  isBusy(instanceId: string): boolean;
  /** Runs `fn` in the instance's chain. */
  serial<T>(instanceId: string, fn: () => Promise<T>): Promise<T>;
  /** Shuts the guest down, saving its volumes (hand-over, fencing). */
  shutDown(instanceId: string): Promise<void>;
  /** Drops the guest without saving: another node runs the instance now. */
  drop(instanceId: string): Promise<void>;
  /** Brings an instance this node just got the lease of to where its state says. */
  adopt(scope: Scope, instanceId: string, state: InstanceStateName): Promise<void>;
}

export interface NodeOwnershipOptions {
  readonly store: Pick<Store, 'leases' | 'instances'>;
  /** This node's name in the lease table. */
  readonly nodeId: string;
  readonly timings: LeaseTimings;
  readonly log: (line: string) => void;
}

const LEASE_PREFIX = 'instance/';
/** Orphaned instances booted in parallel during one tick. */
const ADOPTIONS_AT_ONCE = 4;
const leaseName = (instanceId: string) => `${LEASE_PREFIX}${instanceId}`;
const infoText = (info: LeaseInfo): string => JSON.stringify(info);
const parseInfo = (info: string | undefined): LeaseInfo | undefined => {
  try {
    return info ? (JSON.parse(info) as LeaseInfo) : undefined;
  } catch {
    return undefined;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NodeOwnership {
  /** Instances whose lease this node holds, with their scope. */
  private readonly owned = new Map<string, Scope>();
  /** Instances this node pins (their volume bytes are on this host). */
  private readonly pinned = new Set<string>();
  private guests!: OwnedGuests;
  private leaseTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** avail (issue 19): a renewal must be sent as soon as the current tick ends (a stall made its answer stale). */
  private renewSoon = false;
  /** Fires one renewal period before this node's leases could expire unrenewed (a hung or failing database). */
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: NodeOwnershipOptions) {}

  get nodeId(): string {
    return this.opts.nodeId;
  }

  get timings(): LeaseTimings {
    return this.opts.timings;
  }

  /** The runtime whose guests this node's leases cover (set once, before resume). */
  attach(guests: OwnedGuests): void {
    this.guests = guests;
  }

  private info(scope: Scope, instanceId: string, extra: Partial<LeaseInfo> = {}): LeaseInfo {
    return { accountId: scope.accountId, region: scope.region, ...extra, ...(this.pinned.has(instanceId) ? { pinnedTo: this.opts.nodeId } : {}) };
  }

  /**
   * On server start: takes the lease of every instance that should be up and has no live owner
   * (on SQLite, or the first node on a database, that is all of them) and adopts it; then keeps
   * this node's leases renewed and adopts those of dead nodes.
   */
  async resume(): Promise<void> {
    const { leases, instances } = this.opts.store;
    for (const { scope, instance } of await instances.listLive()) {
      if (instance.state === 'stopped') continue;
      const name = leaseName(instance.instanceId);
      if (!(await this.mayRunHere(name))) continue;
      const mine = await leases.acquire(name, this.opts.nodeId, this.timings.leaseMs, infoText(this.info(scope, instance.instanceId)));
      if (!mine) continue;
      this.owned.set(instance.instanceId, scope);
      await this.guests.adopt(scope, instance.instanceId, instance.state);
    }
    this.armWatchdog(Date.now() + this.timings.leaseMs);
    this.scheduleTick();
  }

  /** What the lease publishes, expired or not (a pin outlives its holder's renewals). */
  private async leaseInfo(name: string): Promise<{ owner?: string; info?: LeaseInfo }> {
    const { leases } = this.opts.store;
    const live = await leases.holder(name);
    if (live) return { owner: live.owner, info: parseInfo(live.info) };
    const gone = (await leases.expired(name)).find((l) => l.name === name);
    return { info: parseInfo(gone?.info) };
  }

  /** False when the lease pins the instance to another node (its bytes are there). */
  private async mayRunHere(name: string): Promise<boolean> {
    const pinnedTo = (await this.leaseInfo(name)).info?.pinnedTo;
    if (pinnedTo === undefined) return true;
    if (pinnedTo !== this.opts.nodeId) return false;
    this.pinned.add(name.slice(LEASE_PREFIX.length));
    return true;
  }

  /**
   * Makes this node the instance's owner: at once when the lease is free, expired or already
   * ours; when another node holds it, asks that node to save the guest and hand the lease over,
   * and waits (a dead holder's lease expires meanwhile). Runs inside the instance's chain.
   * `pin`: the instance's engine keeps its bytes on this host (set when it first boots here).
   */
  async take(scope: Scope, instanceId: string, pin = false): Promise<void> {
    const name = leaseName(instanceId);
    const { leases } = this.opts.store;
    if (!(await this.mayRunHere(name))) {
      const { info } = await this.leaseInfo(name);
      throw new Error(`instance ${instanceId} is pinned to node ${info?.pinnedTo}: its engine keeps its volumes there`);
    }
    if (pin) this.pinned.add(instanceId);
    const deadline = Date.now() + this.timings.leaseMs + 3 * this.timings.renewMs;
    while (!(await leases.acquire(name, this.opts.nodeId, this.timings.leaseMs, this.guests.isLive(instanceId) ? undefined : infoText(this.info(scope, instanceId))))) {
      if (this.closed || Date.now() > deadline) throw new Error(`instance ${instanceId}: its owning node did not hand it over`);
      await leases.want(name, this.opts.nodeId);
      await sleep(Math.max(10, Math.min(200, this.timings.renewMs / 4)));
    }
    this.owned.set(instanceId, scope);
  }

  /**
   * For actions that only know the instance id (volumes, metadata options): when another node
   * runs the guest, takes its lease. Returns the scope to boot it in, or undefined when no live
   * node runs it (stopped, or its dead owner's lease is about to be adopted) or it runs here.
   */
  async takeFromHolder(instanceId: string): Promise<Scope | undefined> {
    const holder = await this.opts.store.leases.holder(leaseName(instanceId));
    const info = parseInfo(holder?.info);
    if (!holder || !info || holder.owner === this.opts.nodeId) return undefined;
    const scope = { accountId: info.accountId, region: info.region };
    await this.take(scope, instanceId);
    return scope;
  }

  /**
   * Publishes the guest's SSH endpoint in its lease (any node's SSH-info route answers with it;
   * none for a guest without SSH, Windows); false when the lease is no longer ours.
   */
  async publish(scope: Scope, instanceId: string, endpoint: { host: string; port: number; user: string } | undefined): Promise<boolean> {
    this.owned.set(instanceId, scope);
    const ours = await this.opts.store.leases.acquire(leaseName(instanceId), this.opts.nodeId, this.timings.leaseMs, infoText(this.info(scope, instanceId, endpoint ?? {})));
    if (!ours) this.owned.delete(instanceId);
    return ours;
  }

  /** Where an instance's SSH endpoint listens when another node runs it (from its lease). */
  async locate(instanceId: string): Promise<{ host: string; port: number; user: string; node: string } | undefined> {
    const holder = await this.opts.store.leases.holder(leaseName(instanceId));
    const info = parseInfo(holder?.info);
    if (!holder || info?.host === undefined || info.port === undefined) return undefined;
    return { host: info.host, port: info.port, user: info.user ?? 'ec2-user', node: holder.owner };
  }

  /** Gives up this node's lease of an instance that needs no guest (stopped, terminated). */
  async letGo(instanceId: string): Promise<void> {
    this.owned.delete(instanceId);
    this.pinned.delete(instanceId);
    await this.opts.store.leases.release(leaseName(instanceId), this.opts.nodeId);
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
          // Orphans left over (or a stale renewal): the next tick (a renewal, then more adoptions) comes at once.
          const now = more || this.renewSoon;
          this.renewSoon = false;
          this.scheduleTick(now ? 0 : this.timings.renewMs);
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
    // avail (issue 19): an answer that arrives past its own watchdog time was sent before a stall
    // of this node; it proves nothing about now. The watchdog stays as it is (a late one renews
    // first) and a fresh renewal follows at once.
    if (Date.now() > sentAt + this.timings.leaseMs - this.timings.renewMs) this.renewSoon = true;
    else this.armWatchdog(sentAt + this.timings.leaseMs);
    const heldIds = new Set(held.map((h) => h.name.slice(LEASE_PREFIX.length)));
    for (const id of ownedBefore) {
      if (heldIds.has(id) || !this.owned.has(id) || this.guests.isBusy(id)) continue;
      // Another node took the lease (ours had expired): its guest is the instance now; ours must not save.
      this.owned.delete(id);
      if (this.guests.isLive(id)) {
        this.opts.log(`instance ${id}: lease lost; guest dropped`);
        await this.guests.drop(id);
      }
    }
    for (const h of held) {
      const id = h.name.slice(LEASE_PREFIX.length);
      if (this.closed) return false;
      if (!h.wantedBy) {
        // Held but not run here (its guest was stopped by the watchdog): let it expire now, to be adopted.
        if (!this.owned.has(id) && !this.guests.isBusy(id)) await leases.acquire(h.name, this.opts.nodeId, -1);
        continue;
      }
      // A pinned instance's bytes are on this host: it is never handed over (the asker gets an error).
      if (this.pinned.has(id)) continue;
      await this.guests.serial(id, async () => {
        await this.guests.shutDown(id); // sessions end; the guest's volumes are saved
        this.owned.delete(id);
        if (await leases.handOver(h.name, this.opts.nodeId, this.timings.leaseMs)) this.opts.log(`instance ${id} handed over to ${h.wantedBy}`);
      });
    }
    // Adoption gets half a renewal period per tick (a few boots at a time): the next renewal must
    // not wait behind hundreds of boots, and the rest is left to the next tick, or to other nodes.
    const orphans = (await leases.expired(LEASE_PREFIX)).filter((o) => {
      const pinnedTo = parseInfo(o.info)?.pinnedTo;
      return pinnedTo === undefined || pinnedTo === this.opts.nodeId;
    });
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
    if (info.pinnedTo === this.opts.nodeId) this.pinned.add(id);
    // The dead node's endpoint goes from the lease at once; this node's is published once it listens.
    if (!(await this.opts.store.leases.acquire(name, this.opts.nodeId, this.timings.leaseMs, infoText(this.info(scope, id))))) return;
    const [record] = await this.opts.store.instances.list(scope, [id]);
    this.owned.set(id, scope);
    this.opts.log(`instance ${id}: adopted (its node stopped renewing)`);
    await this.guests.adopt(scope, id, record?.state ?? 'terminated');
  }

  /**
   * After each successful renewal: if no other succeeds in time, the guests stop before the leases
   * can expire (a renewal stuck on a silent database included), so no instance runs on two nodes.
   */
  private armWatchdog(validUntil: number): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.closed) return;
    const due = Math.max(Date.now(), validUntil - this.timings.renewMs);
    this.watchdog = setTimeout(() => {
      // avail (issue 19): a watchdog that fires late means this node's own event loop was stalled
      // (no renewal could run, and no guest either), not that renewals fail. Renew first: leases
      // still ours (by the database's clock, nobody adopted them) are kept with their guests; ones
      // another node took are dropped by the tick; if the renewal does not succeed within one
      // period this fires again on time and fences as before.
      const late = Date.now() - due;
      if (late > this.timings.renewMs) {
        this.opts.log(`instance leases: this node's event loop was ${late} ms late; renewing before judging its leases`);
        this.armWatchdog(Date.now() + 2 * this.timings.renewMs);
        if (this.ticking) this.renewSoon = true; // that tick's renewal may predate the stall
        else if (this.leaseTimer) {
          clearTimeout(this.leaseTimer);
          this.scheduleTick(0);
        }
        return;
      }
      this.fence('lease renewals failing').catch((e) => this.opts.log(`instance leases: ${e instanceof Error ? e.message : String(e)}`));
    }, due - Date.now());
    this.watchdog.unref();
  }

  /** Shuts every guest down (saving) because this node may no longer hold their leases. */
  private async fence(why: string): Promise<void> {
    const live = this.guests.liveIds();
    if (live.length === 0) return;
    this.opts.log(`instance leases: ${why}; stopping ${live.length} guests until renewals succeed`);
    // Not behind the instances' chains: one may be stuck on the same silent database.
    await Promise.allSettled(
      live.map((id) => {
        this.owned.delete(id);
        return this.guests.shutDown(id);
      }),
    );
  }

  /** Stops renewing (server shutdown); a tick in progress finishes first. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    await this.ticking;
  }

  /**
   * After the guests shut down: expire (not delete) the leases, so another node adopts the
   * instances at its next tick and a restarted single node takes them back at start.
   */
  async expireAll(): Promise<void> {
    await Promise.allSettled([...this.owned.keys()].map((id) => this.opts.store.leases.acquire(leaseName(id), this.opts.nodeId, -1)));
  }
}
