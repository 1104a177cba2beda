// DescribeScalingActivities: a group's activities (or every group's), newest first with those in
// progress ahead; ActivityIds that do not exist are ignored.
import type { AutoScalingGroupDocument, ScalingActivityDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { page } from './paging.js';
import { activityXml } from './views.js';

export default defineAction(
  'DescribeScalingActivities',
  {
    activityIds: fields.list('ActivityIds.member'),
    autoScalingGroupName: fields.string('AutoScalingGroupName'),
    includeDeletedGroups: fields.boolean('IncludeDeletedGroups'),
    maxRecords: fields.integer('MaxRecords'),
    nextToken: fields.string('NextToken'),
  },
  async (ctx, input) => {
    let activities = await ctx.store.documents.list<ScalingActivityDocument>(
      ctx.scope,
      'scaling-activity',
      input.autoScalingGroupName !== undefined ? { parent: input.autoScalingGroupName } : undefined,
    );
    // A deleted group's activities (kept by ARN) only with IncludeDeletedGroups.
    if (!input.includeDeletedGroups) {
      const live = new Set((await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group')).map((g) => g.autoScalingGroupARN));
      activities = activities.filter((a) => live.has(a.autoScalingGroupARN));
    }
    if (input.activityIds.length) activities = activities.filter((a) => input.activityIds.includes(a.activityId));
    const done = (a: ScalingActivityDocument) => (a.statusCode === 'Successful' || a.statusCode === 'Failed' || a.statusCode === 'Cancelled' ? 1 : 0);
    // Stored in creation order: reversed for newest first, then in-progress ones ahead (stable sort).
    activities = activities.reverse().sort((a, b) => done(a) - done(b));
    const { items, nextToken } = page(activities, input.maxRecords ?? 100, input.nextToken);
    return { Activities: items.map(activityXml), NextToken: nextToken };
  },
);
