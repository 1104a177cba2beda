// Helpers for instance tests: the region's images by template and a bounded wait for a state.
import { DescribeImagesCommand, DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';

export interface Images { al2023: string; ubuntu: string; instanceStore: string }

export async function images(client: EC2Client): Promise<Images> {
  const list = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!;
  const by = (re: RegExp) => list.find((i) => re.test(i.Name!))!.ImageId!;
  return { al2023: by(/^al2023/), ubuntu: by(/ubuntu/), instanceStore: by(/instance-store|-s3$/) };
}

export async function describe(client: EC2Client, id: string): Promise<Instance> {
  return (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

/** Polls until the instance reaches `state` (bounded: fails after `attempts` polls, not a timing threshold). */
export async function waitForState(client: EC2Client, id: string, state: string, attempts = 2000): Promise<Instance> {
  let last: Instance | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await describe(client, id);
    if (last.State?.Name === state) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`instance ${id} did not reach ${state} (last ${last?.State?.Name})`);
}
