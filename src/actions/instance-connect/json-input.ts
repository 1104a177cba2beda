// Member checks of the EC2 Instance Connect model (AWS JSON 1.1), failing as AWS's JSON services
// do: every broken constraint listed in one InvalidArgsException, "N validation error(s) detected:
// Value '…' at 'member' failed to satisfy constraint: …" (observed: mludvig/aws-ssm-tools#44).
import { Ec2Error } from '../../errors/ec2-error.js';

export interface StringRule {
  readonly member: string;
  readonly required?: boolean;
  readonly min: number;
  readonly max: number;
  readonly pattern?: string;
}

/** The name AWS's validation messages use: the member with its first letter lower-cased (sSHPublicKey). */
const wireName = (member: string) => member[0]!.toLowerCase() + member.slice(1);

/** The string members of `body` by `rules`; throws InvalidArgsException listing every failure. */
export function readStrings(body: Record<string, unknown>, rules: readonly StringRule[], extra: string[] = []): Record<string, string | undefined> {
  const failures: string[] = [];
  const out: Record<string, string | undefined> = {};
  for (const r of rules) {
    const v = body[r.member];
    if (v === undefined || v === null) {
      if (r.required) failures.push(`Value null at '${wireName(r.member)}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    if (typeof v !== 'string') throw new Ec2Error('SerializationException', `STRING_VALUE can not be converted to ${r.member}`);
    const at = `Value '${v}' at '${wireName(r.member)}' failed to satisfy constraint:`;
    if (v.length < r.min) failures.push(`${at} Member must have length greater than or equal to ${r.min}`);
    if (v.length > r.max) failures.push(`${at} Member must have length less than or equal to ${r.max}`);
    if (r.pattern && !new RegExp(r.pattern).test(v)) failures.push(`${at} Member must satisfy regular expression pattern: ${r.pattern}`);
    out[r.member] = v;
  }
  failures.push(...extra);
  if (failures.length) {
    throw new Ec2Error('InvalidArgsException', `${failures.length} validation error${failures.length > 1 ? 's' : ''} detected: ${failures.join('; ')}`);
  }
  return out;
}

/** The model's InstanceId, SSHPublicKey and AvailabilityZone constraints (botocore ec2-instance-connect 2018-04-02). */
export const INSTANCE_ID: StringRule = { member: 'InstanceId', required: true, min: 10, max: 32, pattern: '^i-[a-f0-9]+$' };
export const SSH_PUBLIC_KEY: StringRule = { member: 'SSHPublicKey', required: true, min: 80, max: 4096 };
export const AVAILABILITY_ZONE: StringRule = { member: 'AvailabilityZone', min: 6, max: 32, pattern: '^(\\w+-){2,3}\\d+\\w+$' };
export const INSTANCE_OS_USER: StringRule = {
  member: 'InstanceOSUser',
  required: true,
  min: 1,
  max: 32,
  pattern: '(^[A-Za-z_][A-Za-z0-9\\@\\._-]{0,30}[A-Za-z0-9\\$_-]?$)|(^(?=.{2,32}$)[0-9]{1,32}[A-Za-z\\@\\._-][A-Za-z0-9\\@\\._-]*[A-Za-z0-9\\$_-]?$)',
};
