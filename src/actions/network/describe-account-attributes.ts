// DescribeAccountAttributes: what Terraform and the console read first (platforms, default VPC, limits).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';
import { ADDRESSES_PER_REGION } from './address-rules.js';
import { GROUPS_PER_INTERFACE } from '../../compute/network/instance-network.js';

const NAMES = ['supported-platforms', 'default-vpc', 'max-instances', 'vpc-max-security-groups-per-interface', 'max-elastic-ips', 'vpc-max-elastic-ips'];

export default defineAction(
  'DescribeAccountAttributes',
  { attributeNames: fields.list('AttributeName'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    const bad = input.attributeNames.find((n) => !NAMES.includes(n));
    if (bad !== undefined) throw new Ec2Error('InvalidParameterValue', `Value (${bad}) for parameter attributeName is invalid. Unknown attribute`);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const defaultVpc = (await ctx.store.network.list<{ isDefault: boolean }>(ctx.scope, 'vpc')).find((v) => v.data.isDefault);
    const values: Record<string, string[]> = {
      'supported-platforms': ['VPC'],
      'default-vpc': [defaultVpc?.id ?? 'none'],
      'max-instances': ['1000'],
      'vpc-max-security-groups-per-interface': [String(GROUPS_PER_INTERFACE)],
      'max-elastic-ips': [String(ctx.limits.addressesPerRegion ?? ADDRESSES_PER_REGION)],
      'vpc-max-elastic-ips': [String(ctx.limits.addressesPerRegion ?? ADDRESSES_PER_REGION)],
    };
    const names = input.attributeNames.length ? input.attributeNames : NAMES;
    return {
      accountAttributeSet: names.map((n) => ({ attributeName: n, attributeValueSet: values[n]!.map((v) => ({ attributeValue: v })) })),
    };
  },
);
