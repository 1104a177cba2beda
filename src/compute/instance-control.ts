// What actions may ask of running instances (ActionContext.runtime): the lifecycle's guest
// effects, hot-plugging volumes, flushing before a snapshot, metadata options, and the engine's
// volume bytes. The runtime implements it; nothing here names an engine.
import type { Scope } from '../store/port.js';
import type { IamInstanceProfileRef, MetadataOptions } from './guest-engine.js';
import type { GuestControl } from './lifecycle.js';
import type { VolumeBytes } from './volume-bytes.js';

export interface InstanceControl extends GuestControl {
  /** AttachVolume on a running instance: the device appears in the guest now (hot plug). */
  attachToGuest(instanceId: string, volumeId: string, device: string, sizeGiB: number): Promise<void>;
  /** DetachVolume on a running instance: mounts of it vanish, its contents are saved. */
  detachFromGuest(instanceId: string, volumeId: string): Promise<void>;
  /** ModifyVolume grew a volume: a running guest sees the larger disk now. */
  resizeInGuest(instanceId: string, volumeId: string, sizeGiB: number): Promise<void>;
  /** Whether a running instance has the volume mounted (a plain DetachVolume then stays `busy`). */
  isMountedInGuest(instanceId: string, volumeId: string): Promise<boolean>;
  /** The tail of a running instance's console log (its guest's cloud-init output) when it runs on this node. */
  consoleLog(instanceId: string, maxBytes: number): Promise<string | undefined>;
  /** A reboot with `whileDown` run between shutdown and boot (CreateImage's snapshots without NoReboot). */
  rebootAround<T>(scope: Scope, instanceId: string, whileDown: () => Promise<T>): Promise<T>;
  /** Saves a running guest's volumes now (CreateSnapshot, CreateImage). */
  flush(instanceId: string): Promise<void>;
  /** ModifyInstanceMetadataOptions on a running instance. */
  setMetadataOptions(instanceId: string, options: Partial<MetadataOptions>): Promise<void>;
  /** An Elastic IP associated with or taken from a running instance: its SSH endpoint moves to the new address (issue 20). */
  moveEndpoint(scope: Scope, instanceId: string): Promise<void>;
  /** An IAM instance profile association changed: a running instance's metadata (iam/info) follows. */
  setIamInstanceProfile(instanceId: string, profile: IamInstanceProfileRef | undefined): Promise<void>;
  /** Time volumes spend creating/attaching/detaching and snapshots/images pending. */
  readonly storageDelayMs: number;
  /** Where volume and snapshot contents live, by operation. */
  readonly volumes: VolumeBytes;
  /** Why the image's instances cannot start on this host now; undefined when they can. */
  cannotRun(imageKey: string): string | undefined;
}
