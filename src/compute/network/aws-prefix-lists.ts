// The AWS-managed prefix lists every account sees in a Region (owner `AWS`): the S3 and DynamoDB
// gateway endpoint services. They are not stored: the same in every account, read-only.
import { createHash } from 'node:crypto';
import type { PrefixListEntry } from './model.js';

export interface AwsPrefixList {
  id: string;
  name: string;
  entries: PrefixListEntry[];
}

// us-east-1's published ids (they appear in AWS's documentation and in countless templates) and
// address ranges (ip-ranges.json, services S3 and DYNAMODB). Other Regions get ids of the same
// shape derived from the name, and the same illustrative ranges (docs/networking.md).
const KNOWN_IDS: Record<string, string> = { 'com.amazonaws.us-east-1.s3': 'pl-63a5400a', 'com.amazonaws.us-east-1.dynamodb': 'pl-02cd2c6b' };
const RANGES: Record<string, string[]> = {
  s3: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '18.34.232.0/21', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20'],
};

const idFor = (name: string): string => KNOWN_IDS[name] ?? `pl-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;

export function awsPrefixLists(region: string): AwsPrefixList[] {
  return Object.entries(RANGES).map(([service, cidrs]) => {
    const name = `com.amazonaws.${region}.${service}`;
    return { id: idFor(name), name, entries: cidrs.map((cidr) => ({ cidr })) };
  });
}
