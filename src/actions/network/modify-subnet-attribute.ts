// ModifySubnetAttribute: one attribute per call — MapPublicIpOnLaunch (whether instances launched
// into the subnet get a public address), AssignIpv6AddressOnCreation (needs the subnet's IPv6
// block; instances and interfaces launched into it then get one IPv6 address unless they ask otherwise).
import { Ec2Error } from '../../errors/ec2-error.js';
import type { SubnetData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

const flag = (wire: string) => fields.struct(wire, { value: fields.boolean('Value') });

export default defineAction(
  'ModifySubnetAttribute',
  {
    subnetId: fields.string('SubnetId', { required: true }),
    mapPublicIpOnLaunch: flag('MapPublicIpOnLaunch'),
    assignIpv6AddressOnCreation: flag('AssignIpv6AddressOnCreation'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('subnet', [input.subnetId]);
    const change: Partial<SubnetData> = {};
    const set = <K extends keyof SubnetData>(k: K, v: SubnetData[K] | undefined) => v !== undefined && (change[k] = v);
    set('mapPublicIpOnLaunch', input.mapPublicIpOnLaunch?.value);
    set('assignIpv6AddressOnCreation', input.assignIpv6AddressOnCreation?.value);
    const n = Object.keys(change).length;
    if (n === 0) throw new Ec2Error('MissingParameter', 'MapPublicIpOnLaunch');
    if (n > 1) throw new Ec2Error('InvalidParameterCombination', 'Fields for multiple attribute types specified: ' + Object.keys(change).join(', '));
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['subnet'], (view) => {
      const s = mustFind(view, 'subnet', input.subnetId);
      if (change.assignIpv6AddressOnCreation && !s.data.ipv6Cidrs?.length)
        // observed: terraform-aws-modules/terraform-aws-vpc#735
        throw new Ec2Error(
          'InvalidParameterValue',
          `Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (${s.id}) has an IPv6 CIDR block associated with it.`,
        );
      if (change.assignIpv6AddressOnCreation === false && s.data.ipv6Native)
        throw new Ec2Error('InvalidParameterValue', `Invalid value 'false' for assignIpv6AddressOnCreation. IPv6-only subnet ${s.id} always assigns IPv6 addresses.`);
      return { changes: { put: [{ ...s, data: { ...s.data, ...change } }] }, result: undefined };
    });
    return { return: true };
  },
);
