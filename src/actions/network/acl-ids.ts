// Network ACL ids: `acl-` and hex digits, else AWS's Malformed answer.
import { Ec2Error } from '../../errors/ec2-error.js';
import { isIdOf } from './common.js';

export function checkAclId(id: string): void {
  if (!isIdOf('acl', id)) throw new Ec2Error('InvalidNetworkAclID.Malformed', id);
}
