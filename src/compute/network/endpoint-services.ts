// The AWS services a VPC endpoint can reach in a Region (DescribeVpcEndpointServices): S3 and
// DynamoDB by gateway (S3 also by interface), the rest by interface. A subset of AWS's list: the
// services people most often reach privately.
import { awsPrefixLists } from './aws-prefix-lists.js';

export interface EndpointService {
  name: string;
  types: ('Gateway' | 'Interface')[];
  /** Gateway endpoints route to the service's prefix list. */
  prefixListId?: string;
}

const INTERFACE_ONLY = ['ec2', 'ec2messages', 'ssm', 'ssmmessages', 'sts', 'logs', 'monitoring', 'kms', 'secretsmanager', 'sqs', 'sns', 'ecr.api', 'ecr.dkr', 'elasticloadbalancing', 'autoscaling', 'execute-api'];

export function endpointServices(region: string): EndpointService[] {
  const lists = awsPrefixLists(region);
  const pl = (svc: string) => lists.find((p) => p.name === `com.amazonaws.${region}.${svc}`)?.id;
  const all: EndpointService[] = [
    { name: `com.amazonaws.${region}.dynamodb`, types: ['Gateway'], prefixListId: pl('dynamodb') },
    ...INTERFACE_ONLY.map((s): EndpointService => ({ name: `com.amazonaws.${region}.${s}`, types: ['Interface'] })),
    { name: `com.amazonaws.${region}.s3`, types: ['Gateway', 'Interface'], prefixListId: pl('s3') },
  ];
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** The default policy of a new endpoint: full access. */
export const FULL_ACCESS_POLICY = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
