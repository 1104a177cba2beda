// The running side of instances: one guest and one SSH endpoint per running instance, state
// transitions after short configurable delays, and recovery after a restart. The store holds the
// truth (state, addresses, volumes); this holds what lives in memory: per-instance chains (so an
// instance's transitions never interleave) and state settling. Guests are booted only through
// the guest-engine port (guest-engine.ts), SSH endpoints by the engine-neutral transport
// (ssh/transport.ts), and which node runs an instance is node-ownership.ts's job.
import type { InstanceRecord, InstanceStateName, Scope, Store } from '../store/port.js';
import { privateDnsName } from './addresses.js';
import type { GuestEngine, GuestSpec, IamInstanceProfileRef, MemberRules, MetadataOptions, PushedKey, RunningGuest } from './guest-engine.js';
import { hostKeyFromSeed, hostPublicKeyLine } from './host-key.js';
import { catalogueImage } from './image-catalogue.js';
import type { InstanceControl } from './instance-control.js';
import { nothingOutlivesTermination, settleTermination } from './lifecycle.js';
import { DEFAULT_LEASE_TIMINGS, type LeaseTimings, NodeOwnership, type OwnedGuests } from './node-ownership.js';
import type { SshLimits } from './ssh/limits.js';
import type { SshAdmission, SshTransport } from './ssh/transport.js';
import type { VolumeBytes } from './volume-bytes.js';
import { routedVolumeBytes } from './volume-routing.js';
import { asAttachedTo, settled } from './volume-state.js';
import { guestPublicIp, imdsInterfaces } from './network/metadata.js';
import { PublishedPorts } from './published-ports.js';

export { DEFAULT_LEASE_TIMINGS, type LeaseTimings };

// The SSH transport (and ssh2 with it) loads when the first instance boots: a server that only
// serves key pairs starts faster and smaller.
const loadTransport = () => import('./ssh/transport.js');

/** Which instance an SSH hook is asked about. */
export interface InstanceRef {
  scope: Scope;
  instanceId: string;
}

/** How instances' SSH endpoints behave beyond the transport's defaults. */
export interface RuntimeSshOptions {
  /** sshd-like limits (LoginGraceTime, MaxStartups, MaxSessions…); defaults in ssh/limits.ts. */
  limits?: Partial<SshLimits>;
  /** Admission at accept (security groups): false, or a refusal reason, drops the connection. */
  admit?: (instance: InstanceRef, remoteAddress: string, localPort: number, remotePort: number) => SshAdmission | Promise<SshAdmission>;
  /** Keys accepted besides the user's authorized_keys (EC2 Instance Connect). */
  extraAuthorizedKeys?: (instance: InstanceRef, user: string) => readonly string[] | Promise<readonly string[]>;
}

export interface RuntimeOptions {
  readonly store: Store;
  /** The guest engines app/ wired, preferred first; an instance runs on the first its image lists. */
  readonly engines: readonly GuestEngine[];
  /** pending → running, stopping → stopped, shutting-down → terminated. */
  readonly delays: { start: number; stop: number; terminate: number };
  /** Time in creating/attaching/detaching (volumes) and pending (snapshots, images). */
  readonly storageDelayMs?: number;
  /** Port each instance's SSH endpoint tries first on its own address (22 as on AWS); 0 = any. */
  readonly sshPort: number;
  readonly ssh?: RuntimeSshOptions;
  readonly log: (line: string) => void;
  /** This node's name in the lease table. */
  readonly nodeId: string;
  readonly leases?: LeaseTimings;
  /**
   * EC2 Instance Connect's keys valid now for an instance (IMDS managed-ssh-keys): app wires it
   * to the store, with the same clock as the SSH hook `ssh.extraAuthorizedKeys`.
   */
  readonly pushedKeys?: (instance: InstanceRef) => Promise<readonly PushedKey[]>;
  /**
   * Security groups for a guest engine's real network (crun): a new TCP connection to the
   * instance's port, from outside (its public address) or from a peer instance; absent = allowed.
   */
  readonly traffic?: (instance: InstanceRef, port: number, from: { address: string; instanceId?: string }) => Promise<true | string>;
  /** The instance's groups for an engine's own packet filter (UDP and ICMP between crun instances); absent = nothing restricts. */
  readonly trafficRules?: (instance: InstanceRef) => Promise<MemberRules | undefined>;
}

interface Live {
  scope: Scope;
  /** The engine running it (whether its stop may end after TerminateInstances answers). */
  engine: GuestEngine;
  guest: RunningGuest;
  ssh: SshTransport;
  /** The guest's own services on its public address (an engine with a real network). */
  published?: PublishedPorts;
}

export class InstanceRuntime implements InstanceControl {
  private readonly live = new Map<string, Live>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** One chain per instance so transitions of an instance never interleave. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Terminated instances' guests still stopping (their last volume writes): settleTermination waits where it must. */
  private readonly halting = new Map<string, Promise<void>>();
  private closed = false;
  private readonly ownership: NodeOwnership;
  /** Where volume and snapshot contents live: each id's operations go to the engine holding its bytes (volume-routing.ts). */
  readonly volumes: VolumeBytes;

  constructor(private readonly opts: RuntimeOptions) {
    if (opts.engines.length === 0) throw new Error('no guest engine');
    this.volumes = routedVolumeBytes(opts.engines, (key) => this.engineFor(key));
    this.ownership = new NodeOwnership({ store: opts.store, nodeId: opts.nodeId, timings: opts.leases ?? DEFAULT_LEASE_TIMINGS, log: opts.log });
    const self = this;
    const guests: OwnedGuests = {
      isLive: (id) => self.live.has(id),
      liveIds: () => [...self.live.keys()],
      isBusy: (id) => self.chains.has(id),
      serial: (id, fn) => self.serial(id, fn),
      shutDown: (id) => self.shutDown(id),
      drop: (id) => self.drop(id),
      adopt: (scope, id, state) => self.adopt(scope, id, state),
    };
    this.ownership.attach(guests);
  }

  get nodeId(): string {
    return this.ownership.nodeId;
  }

  get storageDelayMs(): number {
    return this.opts.storageDelayMs ?? 500;
  }

  /** The engine that runs an image's instances: the first the catalogue lists that app wired. */
  private engineFor(imageKey: string): GuestEngine {
    const wanted = catalogueImage(imageKey).engines;
    const engine = wanted.map((n) => this.opts.engines.find((e) => e.name === n)).find((e) => e !== undefined);
    if (!engine) throw new Error(`no engine for image ${imageKey} (it runs on ${wanted.join(', ')})`);
    return engine;
  }

  cannotRun(imageKey: string): string | undefined {
    const wanted = catalogueImage(imageKey).engines;
    const engine = wanted.map((n) => this.opts.engines.find((e) => e.name === n)).find((e) => e !== undefined);
    if (!engine) return `no engine on this server runs ${imageKey} (it runs on ${wanted.join(', ')})`;
    return engine.unfit?.(imageKey);
  }

  /** Whether the instance's engine keeps its bytes on this host (its lease then pins it here). */
  private async pins(scope: Scope, instanceId: string): Promise<boolean> {
    if (this.opts.engines.every((e) => e.portableVolumes)) return false;
    const [record] = await this.opts.store.instances.list(scope, [instanceId]);
    return record ? !this.engineFor(record.imageTemplate).portableVolumes : false;
  }

  /** AttachVolume on a running instance: the device appears in the guest at once (hot plug). */
  async attachToGuest(instanceId: string, volumeId: string, device: string, sizeGiB: number): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      const l = this.live.get(instanceId);
      if (!l || l.guest.hasVolume(volumeId)) return;
      // The attachment is already recorded: a guest that cannot take the device logs it and
      // gets the volume at its next boot, as a hot-plug the kernel missed would.
      await l.guest.attach({ volumeId, device, sizeGiB }).catch((e: unknown) =>
        this.opts.log(`hot attach of ${volumeId} to ${instanceId} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    });
  }

  /**
   * ModifyVolume grew a volume: a running guest sees the larger disk at once (its partition and
   * filesystem stay until grown). An engine without live resize shows the new size at next boot.
   */
  async resizeInGuest(instanceId: string, volumeId: string, sizeGiB: number): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      await this.live.get(instanceId)?.guest.resize?.(volumeId, sizeGiB);
    });
  }

  /**
   * Whether a running instance on this node has the volume mounted (a plain DetachVolume then
   * stays `busy`). An engine that cannot tell counts as "not mounted".
   */
  async consoleLog(instanceId: string, maxBytes: number): Promise<string | undefined> {
    return (await this.live.get(instanceId)?.guest.consoleLog?.(maxBytes).catch(() => undefined)) ?? undefined;
  }

  async isMountedInGuest(instanceId: string, volumeId: string): Promise<boolean> {
    return (await this.live.get(instanceId)?.guest.isMounted?.(volumeId)) ?? false;
  }

  /**
   * An Elastic IP associated with or taken from a running instance (issue 20): its SSH endpoint moves
   * to the address now in the record (connections to the old address end, as on AWS); the lease
   * publishes the new endpoint. A stopped instance's next boot listens on the record's address.
   */
  async moveEndpoint(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      const l = this.live.get(instanceId);
      if (!l || !l.ssh.port) return; // not here, or no SSH endpoint (Windows)
      const [record] = await this.opts.store.instances.list(scope, [instanceId]);
      if (!record || record.publicIp === l.ssh.host) return;
      const ssh = await this.startEndpoint(scope, record, l.guest);
      const old = l.ssh;
      l.ssh = ssh;
      await old.close();
      await l.published?.close();
      l.published = this.publish(scope, record, ssh, l.guest);
      await this.ownership.publish(scope, instanceId, { host: ssh.host, port: ssh.port, user: l.guest.defaultUser });
      await this.opts.store.instances.update(scope, instanceId, (r) => ({ ...r, sshPort: ssh.port }));
      this.opts.log(`instance ${instanceId} moved; ssh ${ssh.host} port ${ssh.port}`);
    });
  }

  /** DetachVolume on a running instance: mounts of the volume vanish, its contents are saved. */
  async detachFromGuest(instanceId: string, volumeId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.bringHere(instanceId);
      const l = this.live.get(instanceId);
      if (l?.guest.hasVolume(volumeId)) await l.guest.detach(volumeId);
    });
  }

  /** Saves a running guest's volumes now (before a snapshot of them is taken). */
  async flush(instanceId: string): Promise<void> {
    // A guest on another node saves as it hands over; this node then runs it (and saves it again, a no-op).
    if (!this.live.has(instanceId)) await this.serial(instanceId, () => this.bringHere(instanceId));
    await this.live.get(instanceId)?.guest.flush();
  }

  /** Where a running instance's SSH endpoint listens on this node. */
  sshEndpoint(instanceId: string): { host: string; port: number } | undefined {
    const l = this.live.get(instanceId);
    return l && l.ssh.port ? { host: l.ssh.host, port: l.ssh.port } : undefined;
  }

  /** SSH session channels open on a running instance's endpoint on this node (the console terminal's end shows here). */
  sshSessions(instanceId: string): number | undefined {
    return this.live.get(instanceId)?.ssh.sessions();
  }

  runningCount(): number {
    return this.live.size;
  }

  /**
   * After RunInstances or StartInstances: the guest is handed to its engine and its SSH endpoint
   * listens now, before the action answers `pending`; `running` shows once the start delay
   * (counted from `since`) has passed — at once with the default delay of 0, so a waiter's first
   * DescribeInstances, however late or early it comes and however busy the machine, finds the
   * instance running and reachable. (An engine may still be booting the guest then: a session
   * waits for it; guest/worker-engine.ts.)
   */
  async boot(scope: Scope, instanceId: string, since: Date): Promise<void> {
    try {
      await this.serial(instanceId, async () => {
        await this.ownership.take(scope, instanceId, await this.pins(scope, instanceId));
        await this.bootGuest(scope, instanceId);
      });
    } catch (e) {
      this.opts.log(`instance ${instanceId} did not boot: ${e instanceof Error ? e.stack : String(e)}`);
      return; // it stays pending, as before
    }
    const settle = () => this.settleAfter(since.getTime() + this.opts.delays.start - Date.now(), scope, instanceId, 'pending', 'running');
    // A guest whose sshd starts late (a real image's cloud-init init stage) is `running` once its
    // endpoint takes connections (not before: running means reachable); RunInstances answers now.
    const live = this.live.get(instanceId);
    if (live?.guest.sshReady && live.ssh.listening) void live.ssh.listening.then(settle).catch((e: unknown) => this.opts.log(`instance ${instanceId}: ${e instanceof Error ? e.message : String(e)}`));
    else await settle();
  }

  /** StopInstances: close sessions now, flush volumes, then `stopped` after the stop delay. */
  async stop(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.ownership.take(scope, instanceId);
      await this.shutDown(instanceId);
    });
    await this.settleAfter(this.opts.delays.stop, scope, instanceId, 'stopping', 'stopped');
  }

  /**
   * TerminateInstances: access ends now; `terminated` after the delay. The guest's own shutdown
   * (an IPC round trip for a guest in a worker process) may still be going on when the action
   * answers, as an EC2 instance shuts down in shutting-down: only its volumes wait for it.
   */
  async terminate(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, async () => {
      await this.ownership.take(scope, instanceId);
      const l = await this.endAccess(instanceId);
      if (!l) return;
      // Saving the last writes of volumes that are deleted with the instance would be work thrown away.
      const end = (await nothingOutlivesTermination(this.opts.store, scope, instanceId)) ? () => l.guest.abandon() : () => l.guest.stop();
      if (!l.engine.stopsLate) return end();
      const stopped = end().catch((e: unknown) => this.opts.log(`instance ${instanceId}: its guest's stop failed: ${e instanceof Error ? e.message : String(e)}`));
      this.halting.set(instanceId, stopped);
      void stopped.then(() => {
        if (this.halting.get(instanceId) === stopped) this.halting.delete(instanceId);
      });
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
    await this.rebootAround(scope, instanceId, async () => undefined);
  }

  /**
   * A reboot with `whileDown` run between the shutdown and the boot (CreateImage without NoReboot:
   * EC2 shuts the instance down, snapshots its volumes, then boots it). The boot follows even when
   * `whileDown` fails; its error is then thrown.
   */
  async rebootAround<T>(scope: Scope, instanceId: string, whileDown: () => Promise<T>): Promise<T> {
    return this.serial(instanceId, async () => {
      // A guest running on another node comes here (it restarts in moving, which is the reboot).
      if (!this.live.has(instanceId) && !(await this.bringHere(instanceId))) return whileDown();
      await this.shutDown(instanceId);
      try {
        return await whileDown();
      } finally {
        await this.bootGuest(scope, instanceId);
      }
    });
  }

  /** The instance's IAM profile association changed: its metadata shows the new one at once (on this node, as for metadata options). */
  async setIamInstanceProfile(instanceId: string, profile: IamInstanceProfileRef | undefined): Promise<void> {
    await this.serial(instanceId, () => this.bringHere(instanceId));
    this.live.get(instanceId)?.guest.setIamInstanceProfile(profile);
  }

  async setMetadataOptions(instanceId: string, options: Partial<MetadataOptions>): Promise<void> {
    await this.serial(instanceId, () => this.bringHere(instanceId));
    await this.live.get(instanceId)?.guest.setMetadataOptions(options);
  }

  /**
   * On server start: bring back every instance that should be up and has no live owner; finish
   * interrupted transitions; then keep this node's leases renewed and adopt those of dead nodes.
   */
  async resume(): Promise<void> {
    await this.ownership.resume();
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
        await this.ownership.letGo(instanceId); // stopped or terminated: nothing to run
    }
  }

  /**
   * For actions that only know the instance id (volumes, metadata options): when another node
   * runs the guest, take it over and boot it here. Returns whether the guest now runs here.
   */
  private async bringHere(instanceId: string): Promise<boolean> {
    if (this.live.has(instanceId)) return true;
    const scope = await this.ownership.takeFromHolder(instanceId);
    if (!scope) return false;
    await this.bootGuest(scope, instanceId);
    return this.live.has(instanceId);
  }

  /** Where an instance's SSH endpoint listens, whichever node runs it (the SSH-info route asks). */
  async locate(instanceId: string): Promise<{ host: string; port: number; user: string; node: string } | undefined> {
    const l = this.live.get(instanceId);
    if (l) return l.ssh.port ? { host: l.ssh.host, port: l.ssh.port, user: l.guest.defaultUser, node: this.nodeId } : undefined;
    return this.ownership.locate(instanceId);
  }

  /** Server shutdown: close endpoints and flush volumes; instance states stay as they are. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.ownership.stop();
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.live.keys()].map((id) => this.shutDown(id)));
    await Promise.allSettled([...this.halting.values()]);
    await this.ownership.expireAll();
    await Promise.allSettled(this.opts.engines.map((e) => e.close()));
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

  /** What the engine needs to boot the instance, from its records. */
  private async spec(scope: Scope, record: InstanceRecord, engine: GuestEngine): Promise<GuestSpec> {
    const { instanceId } = record;
    const userData = await this.opts.store.instances.userData(scope, instanceId);
    const now = new Date();
    const attached = (await this.opts.store.volumes.attachedTo(scope, [instanceId]))
      .map((v) => settled(v, now))
      .filter((v) => v.state !== 'deleted')
      // (a Multi-Attach volume: this instance's own attachment)
      .flatMap((v) => asAttachedTo(v, instanceId) ?? []);
    const root = attached.find((v) => v.attachment!.device === record.rootDeviceName);
    if (!root) throw new Error(`${instanceId} has no volume at its root device ${record.rootDeviceName}`);
    // A root whose contents were never written (a crash between RunInstances' two writes) starts from its image.
    if (!(await engine.volumes.exists(root.volumeId)) && record.rootSource) await engine.volumes.create(root.volumeId, record.rootSource);
    return {
      instanceId,
      image: catalogueImage(record.imageTemplate),
      root: { volumeId: root.volumeId, device: record.rootDeviceName, sizeGiB: root.size },
      attached: attached.filter((v) => v !== root).map((v) => ({ volumeId: v.volumeId, device: v.attachment!.device, sizeGiB: v.size })),
      metadata: {
        instanceId,
        amiId: record.imageId,
        instanceType: record.instanceType,
        region: scope.region,
        availabilityZone: record.availabilityZone,
        accountId: scope.accountId,
        localIpv4: record.privateIp,
        localHostname: privateDnsName(record.privateIp, scope.region),
        publicIpv4: guestPublicIp(record),
        interfaces: await imdsInterfaces(this.opts.store, scope, record),
        reservationId: record.reservationId,
        amiLaunchIndex: record.amiLaunchIndex,
        rootDeviceName: record.rootDeviceName,
        launchTime: record.launchTime.toISOString(),
        launchKey: record.launchKey,
        userData: userData === undefined ? undefined : Buffer.from(userData, 'base64'),
        blockDevices: launchBlockDevices(record, attached.filter((v) => v !== root && v.volumeId.startsWith('vol-')).map((v) => v.attachment!.device)),
        iamInstanceProfile: record.options?.iamInstanceProfile && { arn: record.options.iamInstanceProfile.arn, id: record.options.iamInstanceProfile.id },
        // EC2 Instance Connect's keys (IMDS managed-ssh-keys), read at each request: any node may push.
        pushedKeys: this.opts.pushedKeys && (() => this.opts.pushedKeys!({ scope, instanceId })),
        liveInterfaces: async () => {
          const [now] = await this.opts.store.instances.list(scope, [instanceId]);
          return now && imdsInterfaces(this.opts.store, scope, now);
        },
      },
      metadataOptions: record.metadataOptions,
      hostKey: { privateOpenSsh: () => hostKeyFromSeed(record.hostKeySeed), publicLine: (comment) => hostPublicKeyLine(record.hostKeySeed, comment) },
      ...(record.impairedSince ? { impaired: { since: record.impairedSince } } : {}),
      onImpaired: (since, reason) => {
        this.opts.log(`instance ${instanceId}: status check failed (${reason})`);
        void this.opts.store.instances
          .update(scope, instanceId, (r) => (r.state === 'running' || r.state === 'pending' ? { ...r, impairedSince: since.toISOString() } : r))
          .catch((e) => this.opts.log(`could not record ${instanceId}'s failed status check: ${e instanceof Error ? e.message : String(e)}`));
      },
      traffic: {
        admit: (port, from) => this.admitTraffic({ scope, instanceId }, port, from),
        rules: async () => this.opts.trafficRules?.({ scope, instanceId }),
      },
    };
  }

  private admitTraffic(ref: InstanceRef, port: number, from: { address: string; instanceId?: string }): Promise<true | string> {
    return this.opts.traffic ? this.opts.traffic(ref, port, from) : Promise.resolve(true);
  }

  /**
   * The guest's listening ports on the SSH endpoint's address, as the groups allow (engines with a
   * real network); none for an instance without a public address (nothing outside reaches it on AWS).
   */
  private publish(scope: Scope, record: InstanceRecord, ssh: SshTransport, guest: RunningGuest): PublishedPorts | undefined {
    const { instanceId } = record;
    if (!guest.ports || !ssh.port || !guestPublicIp(record)) return undefined;
    return new PublishedPorts({
      host: ssh.host,
      ports: guest.ports,
      reserved: [ssh.port],
      admit: (port, remote) => this.admitTraffic({ scope, instanceId }, port, { address: remote }),
      log: this.opts.log,
    });
  }

  /** Starts the guest and its SSH endpoint; the state is left to settle(). */
  private async bootGuest(scope: Scope, instanceId: string): Promise<void> {
    if (this.closed || this.live.has(instanceId)) return;
    const [record] = await this.opts.store.instances.list(scope, [instanceId]);
    if (!record || (record.state !== 'pending' && record.state !== 'running')) return;
    const engine = this.engineFor(record.imageTemplate);
    const guest = await engine.start(await this.spec(scope, record, engine));
    let ssh: SshTransport;
    try {
      // Windows runs no SSH server (its users would RDP in): nothing listens on the address.
      ssh = catalogueImage(record.imageTemplate).platform === 'windows' ? noSshEndpoint(record.publicIp) : await this.startEndpoint(scope, record, guest);
    } catch (e) {
      await guest.stop();
      throw e;
    }
    this.live.set(instanceId, { scope, engine, guest, ssh, published: this.publish(scope, record, ssh, guest) });
    // Publish the endpoint in the lease: the SSH-info route of any node answers with it.
    const endpoint = ssh.port ? { host: ssh.host, port: ssh.port, user: guest.defaultUser } : undefined;
    if (!(await this.ownership.publish(scope, instanceId, endpoint))) {
      await this.drop(instanceId);
      throw new Error(`${instanceId}: another node owns it`);
    }
    // A pending instance records its port when it shows running (StopInstances tells a first launch
    // that never ran by its missing port); a resumed running one may have had to take another port.
    // (Pending as read above, it is still: only settle(), next in this instance's chain, moves it on.)
    if (ssh.port && record.state === 'running') await this.opts.store.instances.update(scope, instanceId, (r) => (r.state === 'running' ? { ...r, sshPort: ssh.port } : r));
    this.opts.log(`instance ${instanceId} booted; ${ssh.port ? `ssh ${record.publicIp} port ${ssh.port}` : 'no ssh (windows)'}`);
  }

  /** The instance's SSH endpoint on its public address, with app's hooks (security groups, Instance Connect). */
  private async startEndpoint(scope: Scope, record: InstanceRecord, guest: RunningGuest): Promise<SshTransport> {
    const { startSshTransport } = await loadTransport();
    const hooks = this.opts.ssh;
    const ref: InstanceRef = { scope, instanceId: record.instanceId };
    return startSshTransport({
      host: record.publicIp,
      port: record.sshPort ?? this.opts.sshPort,
      fallbackToEphemeral: true,
      hostKey: hostKeyFromSeed(record.hostKeySeed),
      guest,
      // Only while it is pending: a reboot or a resumed running instance listens at once (its
      // per-instance cloud-init modules, which write users and keys, do not run again).
      ready: record.state === 'pending' ? guest.sshReady : undefined,
      limits: hooks?.limits,
      admit: hooks?.admit && ((remote, localPort, remotePort) => hooks.admit!(ref, remote, localPort, remotePort)),
      extraAuthorizedKeys: hooks?.extraAuthorizedKeys && ((user) => hooks.extraAuthorizedKeys!(ref, user)),
      log: this.opts.log,
    });
  }

  /** Sessions end, the endpoint closes, the guest stops (saving its volumes). */
  private async shutDown(instanceId: string): Promise<void> {
    await (await this.endAccess(instanceId))?.guest.stop();
  }

  /** Sessions end and the endpoint closes: no one reaches the guest; it is still to be stopped. */
  private async endAccess(instanceId: string): Promise<Live | undefined> {
    const l = this.live.get(instanceId);
    if (!l) return undefined;
    this.live.delete(instanceId);
    await l.published?.close();
    await l.ssh.close();
    return l;
  }

  /** Another node runs the instance now: sessions end and the guest goes without saving. */
  private async drop(instanceId: string): Promise<void> {
    const l = this.live.get(instanceId);
    if (!l) return;
    this.live.delete(instanceId);
    await l.published?.close();
    await l.ssh.close();
    await l.guest.abandon();
  }

  private async settle(scope: Scope, instanceId: string, from: InstanceStateName, to: InstanceStateName): Promise<void> {
    if (to === 'running' && !this.live.has(instanceId)) return; // stopped or terminated meanwhile
    if (to === 'terminated') {
      const [current] = await this.opts.store.instances.list(scope, [instanceId]);
      if (!current || current.state !== from) return;
      // Through the routing: a launch volume's bytes may be in another engine than the instance's.
      // Bytes of a deleted volume go once the guest has stopped writing them, after the answer
      // when it is still stopping (in the instance's chain, so close() waits for them).
      const halted = this.halting.get(instanceId) ?? Promise.resolve();
      await settleTermination(
        this.opts.store,
        scope,
        instanceId,
        async (id) =>
          void this.serial(instanceId, async () => {
            await halted;
            await this.volumes.remove(id);
          }).catch((e: unknown) => this.opts.log(`volume ${id}: its bytes were not removed: ${e instanceof Error ? e.message : String(e)}`)),
        halted,
      );
    }
    const port = to === 'running' ? this.live.get(instanceId)?.ssh.port || undefined : undefined;
    const next = await this.opts.store.instances.update(scope, instanceId, (r) =>
      r.state === from
        ? // a stop ends an impaired boot: the next start boots afresh (on AWS, on another host)
          { ...r, state: to, ...(port === undefined ? {} : { sshPort: port }), ...(to === 'stopped' || to === 'terminated' ? { impairedSince: undefined } : {}) }
        : r,
    );
    if (!next || next.state === 'stopped' || next.state === 'terminated') await this.ownership.letGo(instanceId);
  }
}

/** IMDS block-device-mapping/ names: the EBS volumes attached at boot (ebs1 …) and the instance-store mappings kept at launch. */
function launchBlockDevices(record: InstanceRecord, ebsDevices: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  ebsDevices.forEach((d, i) => (out[`ebs${i + 1}`] = d));
  for (const e of record.options?.ephemeral ?? []) out[e.virtualName] = e.deviceName;
  return out;
}

/** The endpoint of a guest that serves no SSH (Windows): port 0, no connections. */
const noSshEndpoint = (host: string): SshTransport => ({ host, port: 0, connections: () => 0, sessions: () => 0, close: async () => {} });
