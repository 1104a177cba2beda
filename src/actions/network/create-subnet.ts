// CreateSubnet: a block inside its VPC's, /16 to /28, overlapping no other subnet of the VPC
// (checked in the store's transaction; an identical block also hits the unique index).
import { Ec2Error } from '../../errors/ec2-error.js';
import { overlaps4, parseCidr4 } from '../../compute/network/cidr.js';
import { insideVpc4 } from '../../compute/network/vpc-blocks.js';
import { checkSubnetIpv6, subnetIpv6Text } from './ipv6-rules.js';
import { ofKind, subnetUnique, type SubnetData } from '../../compute/network/model.js';
import { zoneId, zonesOf } from '../../compute/network/zones.js';
import { NetUniqueError } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { blockCidr } from './vpc-rules.js';
import { subnetItem } from './views.js';

/** Subnets per VPC (the VPC quotas page). */
const SUBNETS_PER_VPC = 200;

export default defineAction(
  'CreateSubnet',
  {
    vpcId: fields.string('VpcId', { required: true }),
    cidrBlock: fields.string('CidrBlock'),
    availabilityZone: fields.string('AvailabilityZone'),
    availabilityZoneId: fields.string('AvailabilityZoneId'),
    ipv6CidrBlock: fields.string('Ipv6CidrBlock'),
    ipv6Native: fields.boolean('Ipv6Native'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    // moto's aws_verified Ipv6Native tests quote these two answers
    if (input.ipv6Native && input.ipv6CidrBlock === undefined)
      throw Ec2Error.withMessage('MissingParameter', "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.");
    if (input.ipv6Native && input.cidrBlock !== undefined)
      throw new Ec2Error('InvalidParameterCombination', 'When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.');
    if (!input.cidrBlock && !input.ipv6Native) throw new Ec2Error('MissingParameter', 'CidrBlock');
    checkIds('vpc', [input.vpcId]);
    const cidr = input.cidrBlock === undefined ? undefined : blockCidr(input.cidrBlock, 'cidrBlock', 'InvalidSubnet.Range');
    const ipv6 = input.ipv6CidrBlock === undefined ? undefined : subnetIpv6Text(input.ipv6CidrBlock);
    const zones = zonesOf(ctx.scope.region);
    let zone = input.availabilityZone;
    if (zone === undefined && input.availabilityZoneId !== undefined) {
      zone = zones.find((z) => zoneId(z) === input.availabilityZoneId);
      if (!zone) throw new Ec2Error('InvalidParameterValue', `Value (${input.availabilityZoneId}) for parameter availabilityZoneId is invalid.`);
    }
    if (zone !== undefined && !zones.includes(zone)) {
      // AWS CLI captures: the zones of the Region are listed
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`,
      );
    }
    const subnetId = ctx.ids.next('subnet');
    const tags = tagChange(input.tagSpecifications, 'subnet', subnetId);
    checkDryRun(input.dryRun);
    await ready(ctx);
    try {
      const subnet = await ctx.store.network.change(ctx.scope, ['vpc', 'subnet', 'network-acl'], (view) => {
        const vpc = mustFind(view, 'vpc', input.vpcId);
        const siblings = ofKind(view, 'subnet').filter((s) => s.vpcId === vpc.id);
        if (cidr) {
          if (!insideVpc4(vpc.data, cidr)) throw new Ec2Error('InvalidSubnet.Range', cidr.text);
          if (siblings.some((s) => !s.data.ipv6Native && overlaps4(parseCidr4(s.data.cidrBlock)!, cidr))) throw new Ec2Error('InvalidSubnet.Conflict', cidr.text);
        }
        if (ipv6) checkSubnetIpv6(vpc, siblings, ipv6);
        if (siblings.length >= SUBNETS_PER_VPC) throw Ec2Error.withMessage('InvalidParameterValue', 'The maximum number of subnets has been reached.');
        // AWS picks a zone when none is named: the one with the fewest subnets of this VPC.
        const chosen = zone ?? zones.reduce((best, z) => (siblings.filter((s) => s.data.availabilityZone === z).length < siblings.filter((s) => s.data.availabilityZone === best).length ? z : best));
        const data: SubnetData = { cidrBlock: cidr?.text ?? '', availabilityZone: chosen, defaultForAz: false, mapPublicIpOnLaunch: false };
        if (ipv6) data.ipv6Cidrs = [{ associationId: ctx.ids.next('subnet-cidr-assoc'), ipv6CidrBlock: ipv6 }];
        if (input.ipv6Native) Object.assign(data, { ipv6Native: true, assignIpv6AddressOnCreation: true });
        const o = { kind: 'subnet' as const, id: subnetId, vpcId: vpc.id, unique: subnetUnique(vpc.id, cidr?.text ?? ipv6!), data, tags: [] };
        // The VPC's default ACL covers the new subnet.
        const acl = ofKind(view, 'network-acl').find((a) => a.vpcId === vpc.id && a.data.isDefault);
        const aclWithSubnet = acl && { ...acl, data: { ...acl.data, associations: [...acl.data.associations, { id: ctx.ids.next('aclassoc'), subnetId }] } };
        return { changes: { put: [o, ...(aclWithSubnet ? [aclWithSubnet] : [])], tag: tags }, result: o };
      });
      // AWS answers `available` at once (moto's aws_verified test_create_ipv6native_subnet)
      return { subnet: subnetItem(withTags(subnet, tags), ctx.scope, 0) };
    } catch (e) {
      if (e instanceof NetUniqueError) throw new Ec2Error('InvalidSubnet.Conflict', cidr?.text ?? ipv6!);
      throw e;
    }
  },
);
