// The Auto Scaling reconciler: keeps each group at its desired capacity. On every tick (and at once
// when an action wakes it) it walks all groups; for each group whose lease this node holds it
//   1. observes members: Pending → InService once the instance runs; a member whose instance is
//      stopped or terminated, or that was marked Unhealthy, is taken out of service and terminated;
//      a Terminating member leaves the group once its instance is terminated;
//   2. launches the missing instances through RunInstances (same path as any instance: key
//      injection, SSH endpoint, metadata service), or terminates the surplus;
//   3. records each launch and termination as a scaling activity with AWS's texts.
// A failed launch (e.g. the key pair was deleted) is a Failed activity; the group stays below its
// desired capacity and retries after an exponential backoff, recording each failure, until a
// launch succeeds. Everything lives in the store, so a restarted node carries on where it was;
// the per-group lease makes one node at a time reconcile a group (a dead node's lease expires).
import { randomUUID } from 'node:crypto';
import { isEc2Error } from '../errors/ec2-error.js';
import type { ActionContext } from '../actions/context.js';
import { changeGroup, recordActivity, terminateEc2Instance } from '../actions/autoscaling/groups.js';
import { subnetOf } from '../actions/autoscaling/group-input.js';
import { launchGroupInstance } from '../actions/autoscaling/launch-source.js';
import {
  activityDetails,
  causes,
  descriptions,
  joinCauses,
  launchFailureMessage,
  type AutoScalingGroupDocument,
  type GroupMember,
  type ScalingActivityDocument,
} from '../domain/autoscaling.js';
import type { Scope, Store } from '../store/port.js';

export interface ReconcilerTimings {
  /** Time between passes over all groups. */
  readonly intervalMs: number;
  /** How long a group's lease lasts without renewal (a dead node's groups wait this long). */
  readonly leaseMs: number;
  /** First retry delay after a failed launch; doubled on each further failure up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RECONCILER_TIMINGS: ReconcilerTimings = { intervalMs: 1000, leaseMs: 15_000, backoffMs: 10_000, maxBackoffMs: 300_000 };

export interface ReconcilerOptions {
  readonly store: Store;
  readonly context: (scope: Scope) => ActionContext;
  readonly timings: ReconcilerTimings;
  readonly log: (line: string) => void;
}

/** Activities kept per group; older ones go when a failing group records more. */
export const MAX_ACTIVITIES_PER_GROUP = 500;
const TERMINAL = new Set(['Successful', 'Failed', 'Cancelled']);
const GONE = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

export class AutoScalingReconciler {
  /** This node's name in the lease table. */
  readonly nodeId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly held = new Set<string>();

  constructor(private readonly opts: ReconcilerOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** A group changed: pass over the groups now (coalesced with a pass already under way). */
  wake(): void {
    if (this.closed) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    // Hand the groups over at once rather than after the lease expires.
    for (const name of this.held) await this.opts.store.leases.release(name, this.nodeId).catch(() => {});
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.pass()
        .catch((e) => this.opts.log(`auto scaling: ${e instanceof Error ? e.stack : String(e)}`))
        .finally(() => {
          this.running = undefined;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.opts.timings.intervalMs);
        });
    }, ms);
  }

  /** One pass over every group this node can lease. */
  async pass(): Promise<void> {
    const groups = await this.opts.store.documents.listAll<AutoScalingGroupDocument>('auto-scaling-group');
    for (const { scope, data } of groups) {
      if (this.closed) return;
      const lease = `autoscaling/${scope.accountId}/${scope.region}/${data.autoScalingGroupName}`;
      if (!(await this.opts.store.leases.acquire(lease, this.nodeId, this.opts.timings.leaseMs))) {
        this.held.delete(lease);
        continue;
      }
      this.held.add(lease);
      try {
        await this.reconcile(this.opts.context(scope), data.autoScalingGroupName, lease);
      } catch (e) {
        this.opts.log(`auto scaling group ${data.autoScalingGroupName}: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }

  private async reconcile(ctx: ActionContext, name: string, lease: string): Promise<void> {
    let group = await ctx.store.documents.get<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', name);
    if (!group) return;
    group = await this.observe(ctx, group);

    const active = () => group!.members.filter((m) => m.lifecycleState === 'Pending' || m.lifecycleState === 'InService');
    if (group.status === 'Delete in progress' && group.members.length === 0) {
      await ctx.store.documents.delete(ctx.scope, 'auto-scaling-group', name);
      for (const a of await ctx.store.documents.list<ScalingActivityDocument>(ctx.scope, 'scaling-activity', { parent: name })) {
        await ctx.store.documents.delete(ctx.scope, 'scaling-activity', a.activityId);
      }
      await ctx.store.leases.release(lease, this.nodeId);
      this.held.delete(lease);
      return;
    }

    const now = ctx.now();
    if (active().length < group.desiredCapacity) {
      if (group.nextLaunchAt && now < new Date(group.nextLaunchAt)) return;
      // One batch: each launch's Cause names the whole change ("from 0 to 2"), as AWS writes it.
      const batch = { from: active().length, to: group.desiredCapacity };
      while (active().length < group.desiredCapacity) {
        // Renew before each launch: a node that lost its lease must not launch for the group.
        if (this.closed || !(await ctx.store.leases.acquire(lease, this.nodeId, this.opts.timings.leaseMs))) return;
        const next = await this.launch(ctx, group, batch);
        if (!next) return;
        group = next;
      }
    } else if (active().length > group.desiredCapacity) {
      // Scale in: the newest members first (AWS's default policy ends with the newest as well when
      // zones are balanced and the launch source is the same); never one protected from scale in.
      const excess = active().length - group.desiredCapacity;
      const surplus = active().filter((m) => !m.protectedFromScaleIn).slice(-excess).reverse();
      let count = active().length;
      for (const m of surplus) {
        const cause = joinCauses(group.pendingCause, causes.shrinking(now, count, count - 1), causes.selected(now, m.instanceId));
        group = await this.beginTermination(ctx, group, m, cause);
        count--;
      }
    }
    // At capacity: the change that caused the launches is done, and so are any replacements.
    if (active().length === group.desiredCapacity && (group.pendingCause || group.unhealthyReplacements)) {
      group = await changeGroup(ctx, name, (g) => ({ ...g, pendingCause: undefined, unhealthyReplacements: 0 }));
    }
  }

  /** Brings members' states up to date with their instances; starts replacing those that are gone. */
  private async observe(ctx: ActionContext, group: AutoScalingGroupDocument): Promise<AutoScalingGroupDocument> {
    const ids = group.members.map((m) => m.instanceId);
    if (ids.length === 0) return group;
    const instances = new Map((await ctx.store.instances.list(ctx.scope, ids)).map((i) => [i.instanceId, i]));
    const now = ctx.now();
    for (const m of group.members) {
      const state = instances.get(m.instanceId)?.state ?? 'terminated';
      if (m.lifecycleState === 'Terminating') {
        if (state === 'terminated') {
          await this.finishActivity(ctx, m.terminateActivityId, 'Successful');
          group = await changeGroup(ctx, group.autoScalingGroupName, (g) => ({ ...g, members: g.members.filter((x) => x.instanceId !== m.instanceId) }));
        } else if (state !== 'shutting-down') {
          await terminateEc2Instance(ctx, m.instanceId);
        }
        continue;
      }
      if (GONE.has(state) || m.healthStatus === 'Unhealthy') {
        const cause = GONE.has(state) ? causes.ec2HealthCheck(now) : causes.userHealthCheck(now);
        if (m.lifecycleState === 'Pending') await this.finishActivity(ctx, m.launchActivityId, 'Cancelled');
        group = await this.beginTermination(ctx, group, m, cause);
        group = await changeGroup(ctx, group.autoScalingGroupName, (g) => ({ ...g, unhealthyReplacements: (g.unhealthyReplacements ?? 0) + 1 }));
        continue;
      }
      if (m.lifecycleState === 'Pending' && state === 'running') {
        await this.finishActivity(ctx, m.launchActivityId, 'Successful');
        group = await this.patchMember(ctx, group, m.instanceId, { lifecycleState: 'InService' });
      }
    }
    return group;
  }

  private async beginTermination(
    ctx: ActionContext,
    group: AutoScalingGroupDocument,
    m: GroupMember,
    cause: string,
  ): Promise<AutoScalingGroupDocument> {
    const activity = await recordActivity(ctx, group, {
      description: descriptions.terminating(m.instanceId),
      cause,
      startTime: ctx.now().toISOString(),
      statusCode: 'InProgress',
      progress: 0,
      details: activityDetails(m.availabilityZone, subnetOf(group.vpcZoneIdentifier, group.availabilityZones, m.availabilityZone)),
    });
    const next = await this.patchMember(ctx, group, m.instanceId, {
      lifecycleState: 'Terminating',
      terminateActivityId: activity.activityId,
      outOfServiceCause: cause,
    });
    await terminateEc2Instance(ctx, m.instanceId);
    this.opts.log(`auto scaling group ${group.autoScalingGroupName}: terminating ${m.instanceId}`);
    return next;
  }

  /** Launches one instance; on failure records a Failed activity and backs off. Returns the group, or undefined to stop. */
  private async launch(
    ctx: ActionContext,
    group: AutoScalingGroupDocument,
    batch: { from: number; to: number },
  ): Promise<AutoScalingGroupDocument | undefined> {
    const now = ctx.now();
    const zone = leastUsedZone(group);
    const subnet = subnetOf(group.vpcZoneIdentifier, group.availabilityZones, zone);
    // A replacement for an unhealthy member says so; other launches name the capacity change.
    const replacing = (group.unhealthyReplacements ?? 0) > 0;
    const cause = replacing ? causes.replacingUnhealthy(now) : joinCauses(group.pendingCause, causes.started(now, batch.from, batch.to));
    // Durable before the launch, so a retry after a crash finds the instance instead of adding one.
    const token = group.launchToken ?? randomUUID();
    if (!group.launchToken) group = await changeGroup(ctx, group.autoScalingGroupName, (g) => ({ ...g, launchToken: token }));
    try {
      const launched = await launchGroupInstance(ctx, group, zone, token);
      const activity = await recordActivity(ctx, group, {
        description: descriptions.launching(launched.instanceId),
        cause,
        startTime: now.toISOString(),
        statusCode: 'InProgress',
        progress: 30,
        details: activityDetails(zone, subnet),
      });
      const member: GroupMember = {
        instanceId: launched.instanceId,
        instanceType: launched.instanceType,
        availabilityZone: zone,
        lifecycleState: 'Pending',
        healthStatus: 'Healthy',
        launchConfigurationName: group.launchConfigurationName,
        launchTemplate: group.launchTemplate,
        protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
        launchActivityId: activity.activityId,
      };
      this.opts.log(`auto scaling group ${group.autoScalingGroupName}: launched ${launched.instanceId}`);
      return await changeGroup(ctx, group.autoScalingGroupName, (g) => ({
        ...g,
        members: g.members.some((m) => m.instanceId === member.instanceId) ? g.members : [...g.members, member],
        launchToken: undefined,
        unhealthyReplacements: replacing ? Math.max(0, (g.unhealthyReplacements ?? 0) - 1) : g.unhealthyReplacements,
        launchFailures: 0,
        nextLaunchAt: undefined,
      }));
    } catch (e) {
      if (!isEc2Error(e)) throw e;
      const message = launchFailureMessage(e.code, e.message);
      await recordActivity(ctx, group, {
        description: descriptions.launchFailed(message),
        cause,
        startTime: now.toISOString(),
        endTime: ctx.now().toISOString(),
        statusCode: 'Failed',
        statusMessage: message,
        progress: 100,
        details: activityDetails(zone, subnet),
      });
      await this.pruneActivities(ctx, group.autoScalingGroupName);
      const failures = group.launchFailures + 1;
      const delay = Math.min(this.opts.timings.backoffMs * 2 ** (failures - 1), this.opts.timings.maxBackoffMs);
      this.opts.log(`auto scaling group ${group.autoScalingGroupName}: launch failed (${message}); retry in ${delay} ms`);
      await changeGroup(ctx, group.autoScalingGroupName, (g) => ({
        ...g,
        launchFailures: g.launchFailures + 1,
        launchToken: undefined,
        nextLaunchAt: new Date(ctx.now().getTime() + delay).toISOString(),
      }));
      return undefined;
    }
  }

  /** A group failing for days keeps its newest activities only (AWS keeps six weeks of them). */
  private async pruneActivities(ctx: ActionContext, groupName: string): Promise<void> {
    const all = await ctx.store.documents.list<ScalingActivityDocument>(ctx.scope, 'scaling-activity', { parent: groupName });
    for (const a of all.slice(0, Math.max(0, all.length - MAX_ACTIVITIES_PER_GROUP))) {
      await ctx.store.documents.delete(ctx.scope, 'scaling-activity', a.activityId);
    }
  }

  private async finishActivity(ctx: ActionContext, activityId: string | undefined, statusCode: 'Successful' | 'Cancelled'): Promise<void> {
    if (!activityId) return;
    await ctx.store.documents.update<ScalingActivityDocument>(ctx.scope, 'scaling-activity', activityId, (a) =>
      TERMINAL.has(a.statusCode) ? a : { ...a, statusCode, progress: 100, endTime: ctx.now().toISOString() },
    );
  }

  private patchMember(ctx: ActionContext, group: AutoScalingGroupDocument, instanceId: string, patch: Partial<GroupMember>) {
    return changeGroup(ctx, group.autoScalingGroupName, (g) => ({
      ...g,
      members: g.members.map((x) => (x.instanceId === instanceId ? { ...x, ...patch } : x)),
    }));
  }
}

/** The group's zone with the fewest in-service or pending members (AWS balances across zones). */
function leastUsedZone(g: AutoScalingGroupDocument): string {
  const count = (z: string) => g.members.filter((m) => m.availabilityZone === z && m.lifecycleState !== 'Terminating').length;
  return [...g.availabilityZones].sort((a, b) => count(a) - count(b))[0]!;
}
