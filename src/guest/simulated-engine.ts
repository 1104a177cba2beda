// The simulated OS as a guest engine (compute/guest-engine.ts): each instance an InstanceGuest
// in this process, its volumes copy-on-write JSON layers in the store's block data. Those bytes
// live in the shared database, so any node can boot any of its instances (portable volumes).
import type { GuestEngine, GuestSpec, GuestVolume, IamInstanceProfileRef, MetadataOptions, RunningGuest, SessionHandlers, AuthorizedKeysLookup } from '../compute/guest-engine.js';
import { type BlockData, LayeredVolumeStore } from './fs/layered-store.js';
import { imageTemplate } from './images.js';
import { InstanceGuest } from './instance-guest.js';
import type { ShellLimits } from './shell/interpreter.js';
import { simulatedSessions } from './ssh/sessions.js';

export const SIMULATED_ENGINE = 'simulated';

export class SimulatedEngine implements GuestEngine {
  readonly name = SIMULATED_ENGINE;
  readonly portableVolumes = true;
  /** Its guests are objects in this process, their bytes in the store (compute/guest-engine.ts). */
  readonly stopsLate = true;
  readonly volumes: LayeredVolumeStore;

  constructor(
    blockData: BlockData,
    private readonly log: (line: string) => void = () => {},
    /** Limits every guest of this engine runs under (the server's EC2LITE_GUEST_CPU_MS). */
    private readonly limits: { shell?: Partial<ShellLimits> } = {},
  ) {
    this.volumes = new LayeredVolumeStore(blockData, (key) => imageTemplate(key).rootSnapshot());
  }

  async start(spec: GuestSpec): Promise<RunningGuest> {
    const guest = await InstanceGuest.start({
      instanceId: spec.instanceId,
      image: imageTemplate(spec.image.key),
      rootVolume: { volumeId: spec.root.volumeId, device: spec.root.device, sizeGiB: spec.root.sizeGiB },
      attached: spec.attached.map((v) => ({ volumeId: v.volumeId, device: v.device, sizeGiB: v.sizeGiB })),
      volumes: this.volumes,
      metadata: spec.metadata,
      metadataOptions: spec.metadataOptions,
      impaired: spec.impaired,
      limits: this.limits,
    });
    return new SimulatedGuest(guest, this.log);
  }

  async close(): Promise<void> {}
}

/** One running simulated guest behind the port. */
class SimulatedGuest implements RunningGuest {
  readonly sessions: SessionHandlers;

  constructor(
    private readonly guest: InstanceGuest,
    log: (line: string) => void,
  ) {
    this.sessions = simulatedSessions(guest, log);
  }

  get instanceId(): string {
    return this.guest.instanceId;
  }

  get defaultUser(): string {
    return this.guest.defaultUser;
  }

  /** This boot's cloud-init run (its scripts): the worker engine watches which guests are inside it. */
  bootScripts(): Promise<unknown> {
    return this.guest.cloudInit;
  }

  attach(v: GuestVolume): Promise<void> {
    return this.guest.attachVolume(v.volumeId, v.device, v.sizeGiB);
  }

  async detach(volumeId: string): Promise<void> {
    if (this.guest.blockDevices().some((d) => d.volumeId === volumeId && !d.isRoot)) await this.guest.detachVolume(volumeId);
  }

  hasVolume(volumeId: string): boolean {
    return this.guest.blockDevices().some((d) => d.volumeId === volumeId);
  }

  isMounted(volumeId: string): boolean {
    return this.guest.isMounted(volumeId);
  }

  resize(volumeId: string, sizeGiB: number): void {
    this.guest.resizeVolume(volumeId, sizeGiB);
  }

  flush(): Promise<void> {
    return this.guest.persist();
  }

  stop(): Promise<void> {
    return this.guest.stop();
  }

  abandon(): Promise<void> {
    return this.guest.abandon();
  }

  setMetadataOptions(o: Partial<MetadataOptions>): void {
    this.guest.setMetadataOptions(o);
  }

  setIamInstanceProfile(profile: IamInstanceProfileRef | undefined): void {
    this.guest.imds.setIamInstanceProfile(profile);
  }

  async consoleLog(maxBytes: number): Promise<string | undefined> {
    return this.guest.consoleLog(maxBytes);
  }

  async authorizedKeys(user: string): Promise<AuthorizedKeysLookup> {
    const r = this.guest.authorizedKeys(user);
    return r.ok ? { ok: true, lines: r.lines } : r;
  }
}
