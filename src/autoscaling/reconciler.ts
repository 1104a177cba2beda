// The Auto Scaling reconciler: keeps each group at its desired capacity. On every tick (and at once
// when an action wakes it) it walks all groups; for each group whose lease this node holds it
//   1. observes members: Pending → InService once the instance runs; a member whose instance is
//      stopped or terminated, or that was marked Unhealthy, is taken out of service and terminated;
//      a Terminating member leaves the group once its instance is terminated;
//   2. launches the missing instances through RunInstances (same path as any instance: key
//      injection, SSH endpoint, metadata service), or terminates the surplus. Each launch is first
//      claimed in the group's document, in the locked update that counts members and claims
//      against the desired capacity, so a node whose lease ran out mid-launch and the node that
//      took over never fill one slot twice; a claim left behind is finished with its token (one
//      instance per ClientToken, enforced by the database);
//   3. records each launch and termination as a scaling activity with AWS's texts.
// A failed launch (e.g. the key pair was deleted) is a Failed activity; the group stays below its
// desired capacity and retries after an exponential backoff, recording each failure, until a
// launch succeeds. Everything lives in the store, so a restarted node carries on where it was;
// the per-group lease makes one node at a time reconcile a group (a dead node's lease expires).
import { randomUUID } from 'node:crypto';
import { isEc2Error } from '../errors/ec2-error.js';
import type { ActionContext } from '../actions/context.js';
import { changeGroup, deleteGroupDocument, recordActivity, terminateEc2Instance } from '../actions/autoscaling/groups.js';
import { subnetOf } from '../actions/autoscaling/group-input.js';
import { launchGroupInstance } from '../actions/autoscaling/launch-source.js';
import { nextOverride } from '../actions/autoscaling/mixed-instances.js';
import { getNumber } from '../actions/autoscaling/nested.js';
import { completeHook, startWait } from '../actions/autoscaling/lifecycle-hooks.js';
import {
  activityDetails,
  causes,
  descriptions,
  joinCauses,
  launchFailureMessage,
  isSuspended,
  type AutoScalingGroupDocument,
  type GroupMember,
  type InstanceRefreshDocument,
  type LaunchClaim,
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
/** Members that count for the group's capacity (waiting on launch hooks included, as AWS counts them). */
const ACTIVE = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);

const claimsOf = (g: AutoScalingGroupDocument): LaunchClaim[] => g.launchClaims ?? [];

/** Capacity in units: active members and launches claimed, each its WeightedCapacity (MixedInstancesPolicy) or 1. */
export function groupCapacity(g: AutoScalingGroupDocument): number {
  const members = g.members.filter((m) => ACTIVE.has(m.lifecycleState)).reduce((n, m) => n + (m.weightedCapacity ?? 1), 0);
  return members + claimsOf(g).reduce((n, c) => n + (c.weightedCapacity ?? 1), 0);
}

/** Hooks whose heartbeat timeout passed complete with their DefaultResult. */
function expireHooks(g: AutoScalingGroupDocument, m: GroupMember, now: Date): GroupMember {
  let out = m;
  for (const p of m.hookWait?.pending ?? []) {
    if (now.getTime() < Date.parse(p.deadline)) continue;
    const hook = (g.lifecycleHooks ?? []).find((h) => h.lifecycleHookName === p.hookName);
    out = completeHook(out, p.hookName, hook?.defaultResult ?? 'ABANDON');
  }
  return out;
}

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

    const active = () => group!.members.filter((m) => ACTIVE.has(m.lifecycleState));
    const capacity = () => groupCapacity(group!);
    if (group.status === 'Delete in progress' && group.members.length === 0 && claimsOf(group).length === 0) {
      await deleteGroupDocument(ctx, name);
      await ctx.store.leases.release(lease, this.nodeId);
      this.held.delete(lease);
      return;
    }

    const now = ctx.now();
    // Renewed before each launch: a node that lost its lease must not start one for the group.
    const renew = async () => !this.closed && (await ctx.store.leases.acquire(lease, this.nodeId, this.opts.timings.leaseMs));
    // Claims nobody is finishing (their node died or stopped mid-launch) are finished first.
    for (const claim of claimsOf(group).filter((c) => this.abandoned(c, now))) {
      if (isSuspended(group, 'Launch') || !(await renew())) return;
      const next = await this.launch(ctx, group, claim);
      if (!next) return;
      group = next;
    }
    if (capacity() < group.desiredCapacity) {
      // SuspendProcesses Launch: no launches (nor replacements) until resumed.
      if (isSuspended(group, 'Launch')) return;
      if (group.nextLaunchAt && now < new Date(group.nextLaunchAt)) return;
      // One batch: each launch's Cause names the whole change ("from 0 to 2"), as AWS writes it.
      const batch = { from: capacity(), to: group.desiredCapacity };
      for (;;) {
        if (!(await renew())) return;
        const claimed = await this.claim(ctx, group.autoScalingGroupName, batch);
        group = claimed.group;
        if (!claimed.claim) break;
        const next = await this.launch(ctx, group, claimed.claim);
        if (!next) return;
        group = next;
      }
    } else if (capacity() > group.desiredCapacity && !isSuspended(group, 'Terminate')) {
      // Scale in: the newest members first (AWS's default policy ends with the newest as well when
      // zones are balanced and the launch source is the same); never one protected from scale in,
      // and never below the desired capacity in units.
      let count = capacity();
      for (const m of active().filter((x) => !x.protectedFromScaleIn).reverse()) {
        const w = m.weightedCapacity ?? 1;
        if (count - w < group.desiredCapacity) continue;
        const cause = joinCauses(group.pendingCause, causes.shrinking(now, count, count - w), causes.selected(now, m.instanceId));
        group = await this.beginTermination(ctx, group, m, cause);
        count -= w;
        if (count === group.desiredCapacity) break;
      }
    } else if (capacity() >= group.desiredCapacity) {
      group = await this.refresh(ctx, group);
    }
    // At capacity: the change that caused the launches is done, and so are any replacements.
    if (capacity() >= group.desiredCapacity && (group.pendingCause || group.unhealthyReplacements)) {
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
      if (m.lifecycleState === 'Terminating:Wait') {
        // Lifecycle hooks hold the instance until completed or timed out; then its termination goes on.
        const waited = expireHooks(group, m, now);
        if (waited.hookWait!.pending.length === 0) {
          group = await this.patchMember(ctx, group, m.instanceId, { lifecycleState: 'Terminating', hookWait: undefined });
          await terminateEc2Instance(ctx, m.instanceId);
        } else if (waited !== m) {
          group = await this.patchMember(ctx, group, m.instanceId, { hookWait: waited.hookWait });
        }
        continue;
      }
      if (m.lifecycleState === 'Terminating') {
        if (state === 'terminated') {
          await this.finishActivity(ctx, m.terminateActivityId, 'Successful');
          group = await changeGroup(ctx, group.autoScalingGroupName, (g) => ({ ...g, members: g.members.filter((x) => x.instanceId !== m.instanceId) }));
        } else if (state !== 'shutting-down') {
          await terminateEc2Instance(ctx, m.instanceId);
        }
        continue;
      }
      // SuspendProcesses HealthCheck: EC2's state no longer marks members unhealthy; ReplaceUnhealthy:
      // unhealthy members are left in place (AWS's process descriptions).
      const ec2Unhealthy = GONE.has(state) && !isSuspended(group, 'HealthCheck');
      if ((ec2Unhealthy || m.healthStatus === 'Unhealthy') && !isSuspended(group, 'ReplaceUnhealthy')) {
        const cause = ec2Unhealthy ? causes.ec2HealthCheck(now) : causes.userHealthCheck(now);
        if (m.lifecycleState.startsWith('Pending')) await this.finishActivity(ctx, m.launchActivityId, 'Cancelled');
        group = await this.beginTermination(ctx, group, m, cause);
        group = await changeGroup(ctx, group.autoScalingGroupName, (g) => ({ ...g, unhealthyReplacements: (g.unhealthyReplacements ?? 0) + 1 }));
        continue;
      }
      if (m.lifecycleState === 'Pending' && state === 'running') {
        const hooks = (group.lifecycleHooks ?? []).filter((h) => h.lifecycleTransition === 'autoscaling:EC2_INSTANCE_LAUNCHING');
        if (hooks.length) {
          // Launch hooks: Pending:Wait until every hook completes (or times out with its default result).
          await this.markActivity(ctx, m.launchActivityId, 'MidLifecycleAction');
          group = await this.patchMember(ctx, group, m.instanceId, { lifecycleState: 'Pending:Wait', hookWait: startWait('autoscaling:EC2_INSTANCE_LAUNCHING', hooks, now) });
          continue;
        }
        await this.finishActivity(ctx, m.launchActivityId, 'Successful');
        group = await this.patchMember(ctx, group, m.instanceId, { lifecycleState: 'InService' });
        continue;
      }
      if (m.lifecycleState === 'Pending:Wait') {
        const waited = expireHooks(group, m, now);
        if (waited.hookWait!.pending.length > 0) {
          if (waited !== m) group = await this.patchMember(ctx, group, m.instanceId, { hookWait: waited.hookWait });
          continue;
        }
        if (waited.hookWait!.abandoned) {
          // ABANDON: the instance is terminated and replaced (the launch did not count).
          await this.finishActivity(ctx, m.launchActivityId, 'Cancelled');
          group = await this.patchMember(ctx, group, m.instanceId, { hookWait: undefined });
          group = await this.beginTermination(ctx, group, { ...m, hookWait: undefined }, causes.abandonedLaunch(now, m.instanceId), false);
          continue;
        }
        await this.finishActivity(ctx, m.launchActivityId, 'Successful');
        group = await this.patchMember(ctx, group, m.instanceId, { lifecycleState: 'InService', hookWait: undefined });
      }
    }
    return group;
  }

  private async beginTermination(
    ctx: ActionContext,
    group: AutoScalingGroupDocument,
    m: GroupMember,
    cause: string,
    withHooks = true,
  ): Promise<AutoScalingGroupDocument> {
    const hooks = withHooks ? (group.lifecycleHooks ?? []).filter((h) => h.lifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING') : [];
    const activity = await recordActivity(ctx, group, {
      description: descriptions.terminating(m.instanceId),
      cause,
      startTime: ctx.now().toISOString(),
      statusCode: 'InProgress',
      progress: 0,
      details: activityDetails(m.availabilityZone, subnetOf(group.vpcZoneIdentifier, group.availabilityZones, m.availabilityZone)),
    });
    if (hooks.length) {
      // Terminating hooks: the instance keeps running in Terminating:Wait until they complete.
      await this.markActivity(ctx, activity.activityId, 'MidLifecycleAction');
      return this.patchMember(ctx, group, m.instanceId, {
        lifecycleState: 'Terminating:Wait',
        terminateActivityId: activity.activityId,
        outOfServiceCause: cause,
        hookWait: startWait('autoscaling:EC2_INSTANCE_TERMINATING', hooks, ctx.now()),
      });
    }
    const next = await this.patchMember(ctx, group, m.instanceId, {
      lifecycleState: 'Terminating',
      terminateActivityId: activity.activityId,
      outOfServiceCause: cause,
    });
    await terminateEc2Instance(ctx, m.instanceId);
    this.opts.log(`auto scaling group ${group.autoScalingGroupName}: terminating ${m.instanceId}`);
    return next;
  }

  /** A claim nobody is finishing: this node's own (an earlier pass stopped mid-launch), or another node's older than a lease. */
  private abandoned(c: LaunchClaim, now: Date): boolean {
    return c.node === this.nodeId || now.getTime() - Date.parse(c.claimedAt) > this.opts.timings.leaseMs;
  }

  /**
   * Claims one launch when the group, as the database has it now (locked), is below its desired
   * capacity counting members and claims; no claim when it is not (another node filled it).
   */
  private async claim(
    ctx: ActionContext,
    name: string,
    batch: { from: number; to: number },
  ): Promise<{ group: AutoScalingGroupDocument; claim?: LaunchClaim }> {
    const now = ctx.now();
    let claim: LaunchClaim | undefined;
    const group = await changeGroup(ctx, name, (g) => {
      claim = undefined;
      if (groupCapacity(g) >= g.desiredCapacity || isSuspended(g, 'Launch')) return g;
      // A replacement for an unhealthy member says so; other launches name the capacity change.
      const replacing = (g.unhealthyReplacements ?? 0) > 0;
      const override = g.mixedInstancesPolicy ? nextOverride(g) : {};
      claim = {
        // An older document's launch under way keeps its token: the retry finds its instance.
        token: g.launchToken ?? randomUUID(),
        availabilityZone: leastUsedZone(g),
        ...(override.instanceType ? { instanceType: override.instanceType } : {}),
        ...(override.weightedCapacity !== undefined ? { weightedCapacity: override.weightedCapacity } : {}),
        node: this.nodeId,
        claimedAt: now.toISOString(),
        cause: replacing ? causes.replacingUnhealthy(now) : joinCauses(g.pendingCause, causes.started(now, batch.from, batch.to)),
        ...(replacing ? { replacing } : {}),
      };
      return {
        ...g,
        launchToken: undefined,
        launchClaims: [...claimsOf(g), claim],
        unhealthyReplacements: replacing ? (g.unhealthyReplacements ?? 0) - 1 : g.unhealthyReplacements,
      };
    });
    return { group, ...(claim ? { claim } : {}) };
  }

  /**
   * Launches a claimed instance (RunInstances with the claim's token: a launch another node already
   * made is found, not repeated) and turns the claim into a member; on failure records a Failed
   * activity and backs off. Returns the group, or undefined to stop.
   */
  private async launch(ctx: ActionContext, group: AutoScalingGroupDocument, claim: LaunchClaim): Promise<AutoScalingGroupDocument | undefined> {
    const now = ctx.now();
    const zone = claim.availabilityZone;
    const subnet = subnetOf(group.vpcZoneIdentifier, group.availabilityZones, zone);
    const withoutClaim = (g: AutoScalingGroupDocument) => claimsOf(g).filter((c) => c.token !== claim.token);
    try {
      const launched = await launchGroupInstance(ctx, group, zone, claim.token, claim.instanceType ? { instanceType: claim.instanceType } : {});
      // The claim's token is the activity's id: two nodes finishing one claim record one activity.
      const activity = await recordActivity(
        ctx,
        group,
        {
          description: descriptions.launching(launched.instanceId),
          cause: claim.cause,
          startTime: now.toISOString(),
          statusCode: 'InProgress',
          progress: 30,
          details: activityDetails(zone, subnet),
        },
        claim.token,
      );
      const member: GroupMember = {
        instanceId: launched.instanceId,
        instanceType: launched.instanceType,
        availabilityZone: zone,
        lifecycleState: 'Pending',
        healthStatus: 'Healthy',
        launchConfigurationName: group.launchConfigurationName,
        launchTemplate: group.launchTemplate && launched.resolvedVersion ? { ...group.launchTemplate, version: launched.resolvedVersion } : group.launchTemplate,
        protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
        launchActivityId: activity.activityId,
        ...(claim.weightedCapacity !== undefined ? { weightedCapacity: claim.weightedCapacity } : {}),
      };
      this.opts.log(`auto scaling group ${group.autoScalingGroupName}: launched ${launched.instanceId}`);
      return await changeGroup(ctx, group.autoScalingGroupName, (g) =>
        // Claim already turned into its member by another node: nothing to add.
        !claimsOf(g).some((c) => c.token === claim.token)
          ? g
          : {
              ...g,
              members: g.members.some((m) => m.instanceId === member.instanceId) ? g.members : [...g.members, member],
              launchClaims: withoutClaim(g),
              launchFailures: 0,
              nextLaunchAt: undefined,
            },
      );
    } catch (e) {
      if (!isEc2Error(e)) throw e;
      const message = launchFailureMessage(e.code, e.message);
      await recordActivity(ctx, group, {
        description: descriptions.launchFailed(message),
        cause: claim.cause,
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
        launchClaims: withoutClaim(g),
        launchFailures: g.launchFailures + 1,
        unhealthyReplacements: claim.replacing && claimsOf(g).some((c) => c.token === claim.token) ? (g.unhealthyReplacements ?? 0) + 1 : g.unhealthyReplacements,
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

  private async markActivity(ctx: ActionContext, activityId: string | undefined, statusCode: 'MidLifecycleAction'): Promise<void> {
    if (!activityId) return;
    await ctx.store.documents.update<ScalingActivityDocument>(ctx.scope, 'scaling-activity', activityId, (a) => (TERMINAL.has(a.statusCode) ? a : { ...a, statusCode }));
  }

  /**
   * The group's active instance refresh, one step per pass: Pending → InProgress; when the previous
   * batch has settled (every member in service, at capacity), the next batch of members launched
   * before the refresh is taken out of service (100 − MinHealthyPercentage percent of the desired
   * capacity, at least one; the usual launches replace them); Successful when none is left.
   * Cancelling becomes Cancelled. Launch, Terminate or InstanceRefresh suspended: it waits.
   */
  private async refresh(ctx: ActionContext, group: AutoScalingGroupDocument): Promise<AutoScalingGroupDocument> {
    const r = (group.instanceRefreshes ?? []).find((x) => x.status === 'Pending' || x.status === 'InProgress' || x.status === 'Cancelling');
    if (!r) return group;
    const now = ctx.now();
    const set = (patch: Partial<InstanceRefreshDocument>) =>
      changeGroup(ctx, group.autoScalingGroupName, (g) => ({
        ...g,
        instanceRefreshes: (g.instanceRefreshes ?? []).map((x) => (x.instanceRefreshId === r.instanceRefreshId ? { ...x, ...patch } : x)),
      }));
    if (r.status === 'Cancelling') return set({ status: 'Cancelled', endTime: now.toISOString(), statusReason: 'Instance refresh was cancelled by the user.' });
    if (isSuspended(group, 'InstanceRefresh') || isSuspended(group, 'Launch') || isSuspended(group, 'Terminate')) return group;
    if (r.status === 'Pending') group = await set({ status: 'InProgress' });
    const settledBatch = claimsOf(group).length === 0 && group.members.every((m) => m.lifecycleState === 'InService');
    if (!settledBatch) return group;
    const old = group.members.filter((m) => r.toReplace.includes(m.instanceId));
    if (old.length === 0) return set({ status: 'Successful', endTime: now.toISOString() });
    const minHealthy = getNumber(r.preferences, 'MinHealthyPercentage') ?? 90;
    const batch = Math.max(1, Math.floor((group.desiredCapacity * (100 - minHealthy)) / 100));
    for (const m of old.slice(0, batch)) group = await this.beginTermination(ctx, group, m, causes.instanceRefresh(now, m.instanceId));
    return group;
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

/** The group's zone with the fewest in-service or pending members and launches claimed (AWS balances across zones). */
function leastUsedZone(g: AutoScalingGroupDocument): string {
  const count = (z: string) =>
    g.members.filter((m) => m.availabilityZone === z && m.lifecycleState !== 'Terminating').length + claimsOf(g).filter((c) => c.availabilityZone === z).length;
  return [...g.availabilityZones].sort((a, b) => count(a) - count(b))[0]!;
}
