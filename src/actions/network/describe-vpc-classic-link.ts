// DescribeVpcClassicLink: EC2-Classic is retired (2023), and AWS
// answers these as in a Region without it. The text is the one amazon.aws's ec2_vpc_net expects from
// AWS (is_boto3_error_message in its get_classic_link_status).
import { Ec2Error } from '../../errors/ec2-error.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';

export const NOT_HERE = 'The functionality you requested is not available in this region.';
export const classicLinkInput = { vpcIds: fields.list('VpcId'), vpcIdList: fields.list('VpcIds'), filters: fields.filters(), dryRun: fields.boolean('DryRun'), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken') };

export default defineAction('DescribeVpcClassicLink', classicLinkInput, async () => {
  throw new Ec2Error('UnsupportedOperation', NOT_HERE);
});
