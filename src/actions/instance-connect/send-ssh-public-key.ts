// SendSSHPublicKey: pushes a public key that opens SSH for one OS user of a running instance for
// 60 seconds (configurable), besides authorized_keys. The key is stored for every node to see; the
// instance's SSH endpoint and metadata (managed-ssh-keys/active-keys/<user>/) read it while valid.
import { Ec2Error } from '../../errors/ec2-error.js';
import { DEFAULT_LOGIN_SETTINGS } from '../context.js';
import type { InstanceConnectAction } from './action.js';
import { AVAILABILITY_ZONE, INSTANCE_ID, INSTANCE_OS_USER, SSH_PUBLIC_KEY, readStrings } from './json-input.js';
import { checkPushedKey } from './pushed-key.js';

/** Unexpired keys one instance may hold at once; more is ThrottlingException. */
export const MAX_ACTIVE_KEYS_PER_INSTANCE = 20;

const action: InstanceConnectAction = {
  name: 'SendSSHPublicKey',
  async handle(ctx, body, requestId) {
    const input = readStrings(body, [INSTANCE_ID, INSTANCE_OS_USER, SSH_PUBLIC_KEY, AVAILABILITY_ZONE]);
    const publicKey = checkPushedKey(input.SSHPublicKey!);
    const instanceId = input.InstanceId!;
    const [instance] = await ctx.store.instances.list(ctx.scope, [instanceId]);
    if (!instance) throw new Ec2Error('EC2InstanceNotFoundException');
    if (input.AvailabilityZone !== undefined && input.AvailabilityZone !== instance.availabilityZone) {
      throw new Ec2Error('InvalidArgsException', `Invalid Availability Zone: ${input.AvailabilityZone} is not the zone of instance ${instanceId}`);
    }
    if (instance.state !== 'running') throw new Ec2Error('EC2InstanceStateInvalidException');
    const settings = ctx.login ?? DEFAULT_LOGIN_SETTINGS;
    const now = settings.now?.() ?? ctx.now();
    const pushed = await ctx.store.pushedKeys.push(
      ctx.scope,
      { instanceId, osUser: input.InstanceOSUser!, publicKey, requestId, pushedAt: now, expiresAt: new Date(now.getTime() + settings.instanceConnectKeyLifetimeMs) },
      now,
      MAX_ACTIVE_KEYS_PER_INSTANCE,
    );
    if (!pushed) throw new Ec2Error('ThrottlingException');
    return { RequestId: requestId, Success: true };
  },
};

export default action;
