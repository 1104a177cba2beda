// Lifecycle hooks' XML and the completion of a member's wait (CompleteLifecycleAction, the
// reconciler's heartbeat timeouts).
import { randomUUID } from 'node:crypto';
import type { AutoScalingGroupDocument, GroupMember, HookWait, LifecycleHookDocument, LifecycleTransition } from '../../domain/autoscaling.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';

export function hookXml(g: AutoScalingGroupDocument, h: LifecycleHookDocument) {
  return {
    LifecycleHookName: h.lifecycleHookName,
    AutoScalingGroupName: g.autoScalingGroupName,
    LifecycleTransition: h.lifecycleTransition,
    NotificationTargetARN: h.notificationTargetARN,
    RoleARN: h.roleARN,
    NotificationMetadata: h.notificationMetadata,
    HeartbeatTimeout: h.heartbeatTimeout,
    GlobalTimeout: h.globalTimeout,
    DefaultResult: h.defaultResult,
  };
}

/** The waiting member that a CompleteLifecycleAction / heartbeat names (by instance id or token). */
export function waitingMember(g: AutoScalingGroupDocument, hookName: string, instanceId: string | undefined, token: string | undefined): GroupMember {
  const m = g.members.find(
    (x) =>
      x.hookWait?.pending.some((p) => p.hookName === hookName && (token === undefined || p.token === token)) &&
      (instanceId === undefined || x.instanceId === instanceId),
  );
  if (!m) throw autoScalingErrors.noActiveLifecycleAction(instanceId ?? token ?? '', instanceId === undefined);
  return m;
}

/** The member after one hook completed with `result` (the wait ends when no hook is left pending). */
export function completeHook(m: GroupMember, hookName: string, result: 'CONTINUE' | 'ABANDON'): GroupMember {
  const wait = m.hookWait!;
  return {
    ...m,
    hookWait: { ...wait, pending: wait.pending.filter((p) => p.hookName !== hookName), abandoned: wait.abandoned || result === 'ABANDON' },
  };
}

/** A member starts waiting on these hooks: one token each, deadlines from their heartbeat timeouts. */
export function startWait(transition: LifecycleTransition, hooks: LifecycleHookDocument[], now: Date): HookWait {
  return {
    transition,
    pending: hooks.map((h) => ({ hookName: h.lifecycleHookName, token: randomUUID(), deadline: new Date(now.getTime() + h.heartbeatTimeout * 1000).toISOString() })),
  };
}

/** The group's hooks on one transition. */
export const hooksOn = (g: AutoScalingGroupDocument, t: LifecycleTransition): LifecycleHookDocument[] =>
  (g.lifecycleHooks ?? []).filter((h) => h.lifecycleTransition === t);
