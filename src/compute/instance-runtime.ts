// The running side of instances: one simulated guest and one SSH endpoint per running
// instance, state transitions after short configurable delays, and recovery after a restart.
// The store holds the truth (state, addresses, volumes); this holds what lives in memory.
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
}

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
  /** Where volume and snapshot contents live (copy on write over the store). */
  readonly volumes: LayeredVolumeStore;

  constructor(private readonly opts: RuntimeOptions) {
    this.volumes = new LayeredVolumeStore(opts.store.blockData, (key) => imageTemplate(key).rootSnapshot());
  }

  /** AttachVolume on a running instance: the device appears in the guest at once (hot plug). */
  async attachToGuest(instanceId: string, volumeId: string, device: string, sizeGiB: number): Promise<void> {
    await this.serial(instanceId, async () => {
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
      await this.serial(instanceId, () => this.bootGuest(scope, instanceId));
    } catch (e) {
      this.opts.log(`instance ${instanceId} did not boot: ${e instanceof Error ? e.stack : String(e)}`);
      return; // it stays pending, as before
    }
    await this.settleAfter(since.getTime() + this.opts.delays.start - Date.now(), scope, instanceId, 'pending', 'running');
  }

  /** StopInstances: close sessions now, flush volumes, then `stopped` after the stop delay. */
  async stop(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, () => this.shutDown(instanceId));
    await this.settleAfter(this.opts.delays.stop, scope, instanceId, 'stopping', 'stopped');
  }

  /** TerminateInstances: access ends now; `terminated` after the delay. */
  async terminate(scope: Scope, instanceId: string): Promise<void> {
    await this.serial(instanceId, () => this.shutDown(instanceId));
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
      if (!this.live.has(instanceId)) return;
      await this.shutDown(instanceId);
      await this.bootGuest(scope, instanceId);
    });
  }

  setMetadataOptions(instanceId: string, options: InstanceRecord['metadataOptions']): void {
    this.live.get(instanceId)?.guest.setMetadataOptions(options);
  }

  /** On server start: bring back every instance that should be running; finish interrupted transitions. */
  async resume(): Promise<void> {
    for (const { scope, instance } of await this.opts.store.instances.listLive()) {
      switch (instance.state) {
        case 'pending':
          await this.boot(scope, instance.instanceId, new Date(0));
          break;
        case 'running':
          await this.serial(instance.instanceId, () => this.bootGuest(scope, instance.instanceId)).catch((e) =>
            this.opts.log(`could not resume ${instance.instanceId}: ${e instanceof Error ? e.message : String(e)}`),
          );
          break;
        case 'stopping':
          await this.settle(scope, instance.instanceId, 'stopping', 'stopped');
          break;
        case 'shutting-down':
          await this.settle(scope, instance.instanceId, 'shutting-down', 'terminated');
          break;
      }
    }
  }

  /** Server shutdown: close endpoints and flush volumes; instance states stay as they are. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.live.keys()].map((id) => this.shutDown(id)));
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
    await this.opts.store.instances.update(scope, instanceId, (r) => (r.state === from ? { ...r, state: to, ...(port === undefined ? {} : { sshPort: port }) } : r));
  }

  /** Where a running instance's SSH endpoint listens and who logs in by default (the `ssh` command asks). */
  sshInfo(instanceId: string): { host: string; port: number; user: string } | undefined {
    const l = this.live.get(instanceId);
    return l && { host: l.ssh.host, port: l.ssh.port, user: l.guest.image.defaultUser };
  }
}
