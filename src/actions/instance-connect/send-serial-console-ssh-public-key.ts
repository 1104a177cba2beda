// SendSerialConsoleSSHPublicKey: the serial console is off in every account until
// EnableSerialConsoleAccess, which ec2lite does not offer; so after the model's checks (and the
// instance lookup) the answer is SerialConsoleAccessDisabledException, as AWS gives by default.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { InstanceConnectAction } from './action.js';
import { INSTANCE_ID, SSH_PUBLIC_KEY, readStrings } from './json-input.js';

const action: InstanceConnectAction = {
  name: 'SendSerialConsoleSSHPublicKey',
  async handle(ctx, body) {
    const port = body.SerialPort;
    const extra =
      port === undefined || port === null || port === 0
        ? []
        : [`Value '${String(port)}' at 'serialPort' failed to satisfy constraint: Member must have value less than or equal to 0`];
    const input = readStrings(body, [INSTANCE_ID, SSH_PUBLIC_KEY], extra);
    const [instance] = await ctx.store.instances.list(ctx.scope, [input.InstanceId!]);
    if (!instance) throw new Ec2Error('EC2InstanceNotFoundException');
    throw new Ec2Error('SerialConsoleAccessDisabledException');
  },
};

export default action;
