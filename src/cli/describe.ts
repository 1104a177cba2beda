// Looking up one key pair by name or ID (an argument matching key-[0-9a-f]{17} is an ID).
import { DescribeKeyPairsCommand, type KeyPairInfo } from '@aws-sdk/client-ec2';
import { CliError } from './errors.js';
import { isKeyPairId, type Ec2 } from './client.js';

export async function describeOne(ec2: Ec2, nameOrId: string, includePublicKey = false): Promise<KeyPairInfo> {
  const byId = isKeyPairId(nameOrId);
  const out = await ec2.call((c) => c.send(
    new DescribeKeyPairsCommand({
      ...(byId ? { KeyPairIds: [nameOrId] } : { KeyNames: [nameOrId] }),
      ...(includePublicKey ? { IncludePublicKey: true } : {}),
    }),
  ));
  const found = out.KeyPairs?.[0];
  // EC2 answers InvalidKeyPair.NotFound itself; this covers endpoints that return an empty list.
  if (!found) throw new CliError(`InvalidKeyPair.NotFound: The key pair '${nameOrId}' does not exist`);
  return found;
}
