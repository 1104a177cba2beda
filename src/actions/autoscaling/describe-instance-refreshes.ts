// DescribeInstanceRefreshes: a group's refreshes, newest first, with their progress.
import type { AutoScalingGroupDocument, InstanceRefreshDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { findGroup } from './groups.js';
import { page } from './paging.js';
import { wholeSecondsText } from '../../domain/aws-time.js';

export function refreshXml(g: AutoScalingGroupDocument, r: InstanceRefreshDocument) {
  const remaining = r.toReplace.filter((id) => g.members.some((m) => m.instanceId === id)).length;
  const total = r.toReplace.length;
  return {
    InstanceRefreshId: r.instanceRefreshId,
    AutoScalingGroupName: g.autoScalingGroupName,
    Status: r.status,
    StatusReason: r.statusReason,
    StartTime: new Date(r.startTime),
    EndTime: r.endTime ? wholeSecondsText(r.endTime) : undefined,
    PercentageComplete: r.status === 'Successful' ? 100 : total ? Math.floor(((total - remaining) / total) * 100) : 0,
    InstancesToUpdate: r.status === 'Successful' ? 0 : remaining,
    Preferences: r.preferences,
    DesiredConfiguration: r.desiredConfiguration,
    Strategy: r.strategy,
  };
}

export default defineAction(
  'DescribeInstanceRefreshes',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    instanceRefreshIds: fields.list('InstanceRefreshIds.member'),
    nextToken: fields.string('NextToken'),
    maxRecords: fields.integer('MaxRecords'),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const all = [...(g.instanceRefreshes ?? [])]
      .reverse()
      .filter((r) => !input.instanceRefreshIds.length || input.instanceRefreshIds.includes(r.instanceRefreshId))
      .map((r) => refreshXml(g, r));
    const { items, nextToken } = page(all, input.maxRecords ?? 50, input.nextToken);
    return { InstanceRefreshes: items, NextToken: nextToken };
  },
);
