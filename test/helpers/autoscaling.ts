// Auto Scaling helpers: an SDK client for a test server, fast reconciler timings, and bounded polls.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import type { ServerConfig } from '../../src/app/config.js';

/** Reconciler timings for tests: passes every 50 ms, retries after 100 ms doubling to 800 ms. */
export const FAST_AUTOSCALING: ServerConfig['autoScaling'] = {
  intervalMs: 50,
  leaseMs: 1500,
  backoffMs: 100,
  maxBackoffMs: 800,
  launchConfigurations: true,
};

const clients: AutoScalingClient[] = [];

export function autoScalingClient(url: string, opts: { region?: string; accessKeyId?: string } = {}): AutoScalingClient {
  const c = new AutoScalingClient({
    endpoint: url,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
}

export function destroyAutoScalingClients(): void {
  for (const c of clients.splice(0)) c.destroy();
}

/** Polls `probe` until it returns a value (bounded by attempts, not by a timing threshold). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, attempts = 600): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting: ${what}`);
}

export async function group(as: AutoScalingClient, name: string): Promise<AutoScalingGroup | undefined> {
  return (await as.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
}

/** Waits until the group has exactly `n` InService members (and no others). */
export function inService(as: AutoScalingClient, name: string, n: number): Promise<AutoScalingGroup> {
  return eventually(`${n} InService in ${name}`, async () => {
    const g = await group(as, name);
    const members = g?.Instances ?? [];
    return members.length === n && members.every((m) => m.LifecycleState === 'InService') ? g : undefined;
  });
}

export async function activities(as: AutoScalingClient, name: string): Promise<Activity[]> {
  return (await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }))).Activities!;
}
