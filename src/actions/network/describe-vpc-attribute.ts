// DescribeVpcAttribute: DNS support and DNS hostnames.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { listByIds } from './common.js';

export default defineAction(
  'DescribeVpcAttribute',
  {
    vpcId: fields.string('VpcId', { required: true }),
    attribute: fields.enum('Attribute', ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const, { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const [vpc] = await listByIds(ctx, 'vpc', [input.vpcId]);
    const value =
      input.attribute === 'enableDnsSupport' ? vpc!.data.enableDnsSupport : input.attribute === 'enableDnsHostnames' ? vpc!.data.enableDnsHostnames : false;
    return { vpcId: input.vpcId, [input.attribute]: { value } };
  },
);
