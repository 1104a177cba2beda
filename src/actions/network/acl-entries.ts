// What Create/ReplaceNetworkAclEntry share: the entry's members checked as EC2 checks them.
import { Ec2Error } from '../../errors/ec2-error.js';
import { parseCidr4, parseCidr6, formatCidr6, network6 } from '../../compute/network/cidr.js';
import type { AclEntry } from '../../compute/network/model.js';
import { fields } from '../input.js';

/** Entries per network ACL and direction (VPC quotas: "Rules per network ACL", 20). */
export const ACL_ENTRIES_PER_DIRECTION = 20;

export const aclEntryFields = {
  networkAclId: fields.string('NetworkAclId', { required: true }),
  ruleNumber: fields.integer('RuleNumber', { required: true }),
  protocol: fields.string('Protocol', { required: true }),
  ruleAction: fields.string('RuleAction', { required: true }),
  egress: fields.boolean('Egress'),
  cidrBlock: fields.string('CidrBlock'),
  ipv6CidrBlock: fields.string('Ipv6CidrBlock'),
  portRange: fields.struct('PortRange', { from: fields.integer('From'), to: fields.integer('To') }),
  icmpTypeCode: fields.struct('Icmp', { code: fields.integer('Code'), type: fields.integer('Type') }),
  dryRun: fields.boolean('DryRun'),
};

const NAMES: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

/** The entry a request describes, or AWS's refusal. */
export function aclEntryOf(input: {
  ruleNumber: number;
  protocol: string;
  ruleAction: string;
  egress?: boolean;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from?: number; to?: number };
  icmpTypeCode?: { code?: number; type?: number };
}): AclEntry {
  if (input.egress === undefined) throw new Ec2Error('MissingParameter', 'Egress');
  if (input.ruleNumber < 1 || input.ruleNumber > 32766)
    throw new Ec2Error('InvalidParameterValue', `Value (${input.ruleNumber}) for parameter ruleNumber is invalid. Valid rule numbers are 1 to 32766.`);
  const action = input.ruleAction.toLowerCase();
  if (action !== 'allow' && action !== 'deny') throw new Ec2Error('InvalidParameterValue', `Value (${input.ruleAction}) for parameter ruleAction is invalid. Valid values are allow and deny.`);
  const protocol = NAMES[input.protocol.toLowerCase()] ?? input.protocol;
  if (!/^-1$|^\d{1,3}$/.test(protocol) || Number(protocol) > 255)
    throw new Ec2Error('InvalidParameterValue', `Value (${input.protocol}) for parameter protocol is invalid.`);
  if ((input.cidrBlock === undefined) === (input.ipv6CidrBlock === undefined))
    throw new Ec2Error('InvalidParameterCombination', 'Exactly one of cidrBlock and ipv6CidrBlock must be specified.');
  const entry: AclEntry = { ruleNumber: input.ruleNumber, egress: input.egress, protocol, ruleAction: action };
  if (input.cidrBlock !== undefined) {
    const c = parseCidr4(input.cidrBlock);
    if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
    entry.cidrBlock = c.text;
  } else {
    const c = parseCidr6(input.ipv6CidrBlock!);
    if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${input.ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.`);
    entry.ipv6CidrBlock = formatCidr6(network6(c));
  }
  if (protocol === '6' || protocol === '17') {
    const { from, to } = input.portRange ?? {};
    if (from === undefined || to === undefined) throw new Ec2Error('InvalidParameterValue', 'TCP/UDP entries need PortRange.From and PortRange.To.');
    if (from < 0 || to > 65535 || from > to) throw new Ec2Error('InvalidParameterValue', `Invalid value '${from}-${to}' for portRange. Port ranges must be within 0-65535 and from <= to.`);
    entry.portRange = { from, to };
  }
  if (protocol === '1' || protocol === '58') {
    const { code, type } = input.icmpTypeCode ?? {};
    if (code === undefined || type === undefined) throw new Ec2Error('InvalidParameterValue', 'ICMP entries need Icmp.Type and Icmp.Code.');
    entry.icmpTypeCode = { code, type };
  }
  return entry;
}
