// The instance lifecycle in one place: for each action and current state, the state it moves
// to (or AWS's error), what happens to the guest, and what happens to the volumes. The four
// instance actions call `changeStates`; the runtime calls `settleTermination`.
//
//   action     from                       to              guest                       volumes
//   start      stopped                    pending         boots after the start delay  root must be attached at the root device name
//              pending, running           (unchanged)     -
//   stop       running, pending(started)  stopping        shuts down now; stopped after the delay
//              stopping, stopped          (unchanged)     -
//   reboot     running                    running         restarts (same disks)
//              pending, stopping, stopped (unchanged)     -
//   terminate  any but the two below      shutting-down   shuts down now; terminated   DeleteOnTermination volumes deleted,
//              shutting-down, terminated  (unchanged)                                    others detached (available)
import { releaseInstanceNetwork } from './network/instance-network.js';
import { Ec2Error } from '../errors/ec2-error.js';
import type { InstanceRecord, InstanceStateName, Scope, Store, VolumeRecord } from '../store/port.js';
import { attachmentsOf, settled } from './volume-state.js';

export type LifecycleAction = 'start' | 'stop' | 'reboot' | 'terminate';

type GuestEffect = 'boot' | 'stop' | 'restart' | 'terminate' | 'none';

interface Outcome {
  to: InstanceStateName;
  guest: GuestEffect;
}

const stay = (r: InstanceRecord): Outcome => ({ to: r.state, guest: 'none' });

/** What `action` does to an instance in its current state; throws AWS's error when it is not allowed. */
export function outcome(action: LifecycleAction, r: InstanceRecord, facts: { rootAttached: boolean }): Outcome {
  const id = r.instanceId;
  const ending = r.state === 'terminated' || r.state === 'shutting-down';
  switch (action) {
    case 'start':
      if (r.state === 'pending' || r.state === 'running') return stay(r);
      if (r.state !== 'stopped') {
        // observed: burstable-ai/burst#42, canonical/ubuntu-pro-client#1697
        throw new Ec2Error('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be started.`);
      }
      if (!facts.rootAttached) {
        // observed: aws-solutions/instance-scheduler-on-aws#266 (the whole batch fails)
        throw new Ec2Error(
          'InvalidParameterValue',
          `Invalid value '${id}' for instanceId. Instance does not have a volume attached at root (${r.rootDeviceName})`,
        );
      }
      return { to: 'pending', guest: 'boot' };
    case 'stop':
      if (r.rootDeviceType !== 'ebs') {
        // observed: mitchellh/vagrant-aws#193
        throw new Ec2Error('UnsupportedOperation', `The instance '${id}' does not have an 'ebs' root device type and cannot be stopped.`);
      }
      if (ending) {
        // observed: ansible-collections/amazon.aws#146
        throw new Ec2Error('IncorrectInstanceState', `This instance '${id}' is not in a state from which it can be stopped.`);
      }
      if (r.state === 'pending' && r.sshPort === undefined) {
        // observed: cloud-custodian/cloud-custodian#6014 (a first launch that has not reached running)
        throw new Ec2Error('IncorrectInstanceState', `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`);
      }
      return r.state === 'running' || r.state === 'pending' ? { to: 'stopping', guest: 'stop' } : stay(r);
    case 'reboot':
      // message by analogy with StartInstances
      if (ending) throw new Ec2Error('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be rebooted.`);
      return r.state === 'running' ? { to: 'running', guest: 'restart' } : stay(r);
    case 'terminate':
      return ending ? stay(r) : { to: 'shutting-down', guest: 'terminate' };
  }
}

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

/** What the lifecycle asks of the runtime (InstanceRuntime implements it). */
export interface GuestControl {
  /** Starts the guest (and its SSH endpoint) before the action answers; `running` shows once the start delay from `since` is over. */
  boot(scope: Scope, instanceId: string, since: Date): Promise<void>;
  stop(scope: Scope, instanceId: string): Promise<void>;
  terminate(scope: Scope, instanceId: string): Promise<void>;
  reboot(scope: Scope, instanceId: string): Promise<void>;
}

export interface LifecycleDeps {
  store: Store;
  runtime: GuestControl;
}

/** Whether a volume is attached at the instance's root device name. */
async function rootAttached(store: Store, scope: Scope, r: InstanceRecord): Promise<boolean> {
  if (r.rootDeviceType !== 'ebs') return true;
  const now = new Date();
  // Only the volumes whose stored attachments name the instance (an index lookup, not the scope's volumes).
  const volumes = (await store.volumes.attachedTo(scope, [r.instanceId])).map((v) => settled(v, now));
  return volumes.some((v) => v.state !== 'deleted' && v.attachment?.instanceId === r.instanceId && v.attachment.device === r.rootDeviceName);
}

/**
 * Applies `action` to the instances (request order). Every instance is checked before any moves,
 * so one refused instance fails the whole request, as on AWS.
 */
export async function changeStates(
  deps: LifecycleDeps,
  scope: Scope,
  action: LifecycleAction,
  instances: readonly InstanceRecord[],
  reason: string,
): Promise<StateChange[]> {
  for (const r of instances) {
    outcome(action, r, { rootAttached: action === 'start' && r.state === 'stopped' ? await rootAttached(deps.store, scope, r) : true });
  }
  // The instances move concurrently (a guest's shutdown or boot waits on sockets and the store, not
  // on the others); each one's transitions stay in order through the runtime's per-instance chain.
  return Promise.all(instances.map(async (r): Promise<StateChange> => {
    const previous = r.state;
    let effect: GuestEffect = 'none';
    // The state is re-read inside the update, so a concurrent request never applies a stale move.
    const next = await deps.store.instances.update(scope, r.instanceId, (x) => {
      let o: Outcome;
      try {
        o = outcome(action, x, { rootAttached: true });
      } catch {
        return x;
      }
      effect = o.guest;
      if (o.to === x.state) return x;
      return { ...x, state: o.to, stateTransitionReason: action === 'start' ? '' : reason };
    });
    await applyGuestEffect(deps.runtime, scope, r.instanceId, effect);
    return { instanceId: r.instanceId, previous, current: next?.state ?? previous };
  }));
}

async function applyGuestEffect(runtime: GuestControl, scope: Scope, instanceId: string, effect: GuestEffect): Promise<void> {
  switch (effect) {
    case 'boot':
      return runtime.boot(scope, instanceId, new Date());
    case 'stop':
      return runtime.stop(scope, instanceId);
    case 'terminate':
      return runtime.terminate(scope, instanceId);
    case 'restart':
      return runtime.reboot(scope, instanceId);
    case 'none':
      return;
  }
}

/**
 * At `terminated`: DeleteOnTermination volumes are deleted (their bytes too), the others are
 * detached. Called before the instance shows terminated, so no one sees a terminated instance
 * that still has volumes. `guestStopped`: when the instance's guest has written its volumes for the
 * last time (it may still be shutting down); a volume that outlives the instance is detached only
 * after that, with those writes in it. (removeBytes may wait for it too: the bytes are invisible.)
 */
/** The volumes attached to the instance (not yet deleted). */
async function volumesOf(store: Store, scope: Scope, instanceId: string): Promise<VolumeRecord[]> {
  return (await store.volumes.attachedTo(scope, [instanceId])).filter((v) => v.state !== 'deleted' && attachmentsOf(v).some((a) => a.instanceId === instanceId));
}

/** Whether the volume goes when the instance terminates: attached to it alone, DeleteOnTermination. */
function deletedWithInstance(v: VolumeRecord, instanceId: string, now: Date): boolean {
  const x = settled(v, now);
  return !x.moreAttachments?.length && x.attachment?.instanceId === instanceId && !!x.attachment.deleteOnTermination;
}

/**
 * Whether nothing of the instance's disks outlives its termination (every volume DeleteOnTermination
 * and attached to it alone): its guest's last writes need not be saved.
 */
export async function nothingOutlivesTermination(store: Store, scope: Scope, instanceId: string): Promise<boolean> {
  const now = new Date();
  return (await volumesOf(store, scope, instanceId)).every((v) => deletedWithInstance(v, instanceId, now));
}

export async function settleTermination(
  store: Store,
  scope: Scope,
  instanceId: string,
  removeBytes: (volumeId: string) => Promise<void>,
  guestStopped: Promise<void> = Promise.resolve(),
): Promise<void> {
  const now = new Date();
  const attached = await volumesOf(store, scope, instanceId);
  if (!attached.every((v) => deletedWithInstance(v, instanceId, now))) await guestStopped;
  for (const v of attached) {
    const next = await store.volumes.update(scope, v.volumeId, (cur): VolumeRecord => {
      const x = settled(cur, now);
      // Multi-Attach: the instance's own attachment goes; the volume stays with the others.
      if (x.moreAttachments?.some((a) => a.instanceId === instanceId)) {
        const rest = x.moreAttachments.filter((a) => a.instanceId !== instanceId);
        return { ...x, moreAttachments: rest.length ? rest : undefined };
      }
      if (x.attachment?.instanceId !== instanceId) return x;
      if (x.moreAttachments?.length) {
        const [first, ...rest] = x.moreAttachments;
        return { ...x, attachment: first, moreAttachments: rest.length ? rest : undefined };
      }
      return x.attachment.deleteOnTermination ? { ...x, state: 'deleted', attachment: undefined } : { ...x, state: 'available', attachment: undefined };
    });
    if (next?.state === 'deleted') await removeBytes(v.volumeId);
  }
  // Interfaces that go with the instance return their addresses to the subnet (issue 20).
  await releaseInstanceNetwork(store, scope, instanceId);
}
