// DescribeVpcClassicLinkDnsSupport: answered as DescribeVpcClassicLink is (EC2-Classic is retired).
import { Ec2Error } from '../../errors/ec2-error.js';
import { defineAction } from '../action.js';
import { classicLinkInput, NOT_HERE } from './describe-vpc-classic-link.js';

export default defineAction('DescribeVpcClassicLinkDnsSupport', classicLinkInput, async () => {
  throw new Ec2Error('UnsupportedOperation', NOT_HERE);
});
