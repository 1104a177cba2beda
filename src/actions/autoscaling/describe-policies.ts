// DescribePolicies: the policies of one group or of every group, by name and type, paged.
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { page } from './paging.js';
import { policyXml } from './policies.js';

export default defineAction(
  'DescribePolicies',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName'),
    policyNames: fields.list('PolicyNames.member'),
    policyTypes: fields.list('PolicyTypes.member'),
    maxRecords: fields.integer('MaxRecords'),
    nextToken: fields.string('NextToken'),
  },
  async (ctx, input) => {
    const groups = await ctx.store.documents.list<AutoScalingGroupDocument>(
      ctx.scope,
      'auto-scaling-group',
      input.autoScalingGroupName !== undefined ? { names: [input.autoScalingGroupName] } : undefined,
    );
    const all = groups.flatMap((g) =>
      (g.policies ?? [])
        .filter((p) => !input.policyNames.length || input.policyNames.includes(p.policyName) || input.policyNames.includes(p.policyARN))
        .filter((p) => !input.policyTypes.length || input.policyTypes.includes(p.policyType))
        .map((p) => policyXml(g, p)),
    );
    const { items, nextToken } = page(all, input.maxRecords ?? 50, input.nextToken);
    return { ScalingPolicies: items, NextToken: nextToken };
  },
);
