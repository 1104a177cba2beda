// CreateDefaultSubnet: a /20 default subnet of the default VPC in a zone that has none (the first
// free /20 of 172.31.0.0/16), mapping public addresses, as AWS makes them.
import { Ec2Error } from '../../errors/ec2-error.js';
import { formatIpv4, overlaps4, parseCidr4 } from '../../compute/network/cidr.js';
import { ofKind, subnetUnique } from '../../compute/network/model.js';
import { zoneId, zonesOf } from '../../compute/network/zones.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';
import { subnetItem } from './views.js';

export default defineAction(
  'CreateDefaultSubnet',
  { availabilityZone: fields.string('AvailabilityZone'), availabilityZoneId: fields.string('AvailabilityZoneId'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    const zones = zonesOf(ctx.scope.region);
    const zone = input.availabilityZone ?? zones.find((z) => zoneId(z) === input.availabilityZoneId);
    if (!zone) throw new Ec2Error('MissingParameter', 'AvailabilityZone');
    if (!zones.includes(zone)) throw new Ec2Error('InvalidParameterValue', `Value (${zone}) for parameter availabilityZone is invalid.`);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const subnetId = ctx.ids.next('subnet');
    const subnet = await ctx.store.network.change(ctx.scope, ['vpc', 'subnet', 'network-acl'], (view) => {
      const vpc = ofKind(view, 'vpc').find((v) => v.data.isDefault);
      // error-code reference: DefaultVpcDoesNotExist
      if (!vpc) throw new Ec2Error('DefaultVpcDoesNotExist', 'No default VPC for this user');
      const mine = ofKind(view, 'subnet').filter((s) => s.vpcId === vpc.id);
      const existing = mine.find((s) => s.data.defaultForAz && s.data.availabilityZone === zone);
      // moto's test of this action (message as AWS writes it)
      if (existing) throw new Ec2Error('DefaultSubnetAlreadyExistsInAvailabilityZone', `'${existing.id}' is already the default subnet in ${zone}.`);
      const base = parseCidr4(vpc.data.cidrBlock)!;
      let cidr: string | undefined;
      for (let i = 0; i < 16 && !cidr; i++) {
        const candidate = parseCidr4(`${formatIpv4(base.base + i * 4096)}/20`)!;
        if (!mine.some((s) => overlaps4(parseCidr4(s.data.cidrBlock)!, candidate))) cidr = candidate.text;
      }
      if (!cidr) throw new Ec2Error('InvalidSubnet.Conflict', `${vpc.data.cidrBlock}`);
      const o = { kind: 'subnet' as const, id: subnetId, vpcId: vpc.id, unique: subnetUnique(vpc.id, cidr), data: { cidrBlock: cidr, availabilityZone: zone, defaultForAz: true, mapPublicIpOnLaunch: true }, tags: [] };
      const acl = ofKind(view, 'network-acl').find((a) => a.vpcId === vpc.id && a.data.isDefault);
      const aclWithSubnet = acl && { ...acl, data: { ...acl.data, associations: [...acl.data.associations, { id: ctx.ids.next('aclassoc'), subnetId }] } };
      return { changes: { put: [o, ...(aclWithSubnet ? [aclWithSubnet] : [])] }, result: o };
    });
    return { subnet: subnetItem(subnet, ctx.scope, 0) };
  },
);
