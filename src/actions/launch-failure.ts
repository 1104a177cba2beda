// Launches EC2 accepts and then fails: the instance answers pending, never runs, and ends
// terminated with a StateReason (src/errors/state-reasons.ts). ec2lite has no KMS, so the one
// failure it can tell is a launch volume's KmsKeyId that cannot name a key (not a key id, key ARN,
// alias or alias ARN) — the rule CreateVolume applies (its volume vanishes after `creating`).
import { isKmsKeyIdForm } from '../compute/ebs-encryption.js';
import { INVALID_KMS_KEY, type StateReason } from '../errors/state-reasons.js';
import type { InstanceRecord } from '../store/port.js';
import type { LaunchBlockDevices } from './block-device-mappings.js';
import type { ActionContext } from './context.js';

/** Why the planned launch will fail, if it will. */
export function launchFailureOf(devices: LaunchBlockDevices): StateReason | undefined {
  const unusable = devices.volumes.some((v) => v.encrypted && v.kmsKeyId !== undefined && !isKmsKeyIdForm(v.kmsKeyId));
  return unusable ? INVALID_KMS_KEY : undefined;
}

/**
 * Ends the launched instances: shutting-down now, terminated after the terminate delay (their
 * DeleteOnTermination volumes go, as at any termination). AWS's StateTransitionReason for a failed
 * launch is not captured publicly; the StateReason message stands in for it.
 */
export async function failLaunch(ctx: ActionContext, instances: readonly InstanceRecord[], reason: StateReason): Promise<void> {
  for (const r of instances) {
    const next = await ctx.store.instances.update(ctx.scope, r.instanceId, (x) =>
      x.state === 'pending' ? { ...x, state: 'shutting-down', stateTransitionReason: reason.message, launchFailure: { ...reason } } : x,
    );
    if (next?.state === 'shutting-down') await ctx.runtime.terminate(ctx.scope, r.instanceId);
  }
}
