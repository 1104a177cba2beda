// DescribeAutoScalingInstances: members of every group, or the given instances (others absent).
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { page } from './paging.js';
import { autoScalingInstanceXml, visibleMembers } from './views.js';

export default defineAction(
  'DescribeAutoScalingInstances',
  {
    instanceIds: fields.list('InstanceIds.member'),
    maxRecords: fields.integer('MaxRecords'),
    nextToken: fields.string('NextToken'),
  },
  async (ctx, input) => {
    const groups = await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group');
    let rows = groups.flatMap((g) => visibleMembers(g).map((m) => autoScalingInstanceXml(g, m)));
    if (input.instanceIds.length) rows = rows.filter((r) => input.instanceIds.includes(r.InstanceId));
    const { items, nextToken } = page(rows, input.maxRecords, input.nextToken);
    return { AutoScalingInstances: items, NextToken: nextToken };
  },
);
