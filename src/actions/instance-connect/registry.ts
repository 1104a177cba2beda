// The EC2 Instance Connect operations (service ec2-instance-connect, 2018-04-02).
import type { InstanceConnectAction } from './action.js';
import sendSerialConsoleSshPublicKey from './send-serial-console-ssh-public-key.js';
import sendSshPublicKey from './send-ssh-public-key.js';

const byName = new Map<string, InstanceConnectAction>([sendSshPublicKey, sendSerialConsoleSshPublicKey].map((a) => [a.name, a]));

export const instanceConnectActions = { get: (name: string): InstanceConnectAction | undefined => byName.get(name) };
