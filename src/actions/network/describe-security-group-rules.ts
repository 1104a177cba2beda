// DescribeSecurityGroupRules: every rule with its sgr- id, by id or filters (group-id, security-group-rule-id, tags).
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { ruleFilters, ruleItem } from './views.js';

export default defineAction(
  'DescribeSecurityGroupRules',
  {
    securityGroupRuleIds: fields.list('SecurityGroupRuleId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const rules = applyFilters(await listByIds(ctx, 'security-group-rule', input.securityGroupRuleIds), input.filters, ruleFilters());
    const { page, nextToken } = pageOf(rules, input.nextToken, input.maxResults);
    return { securityGroupRuleSet: page.map((r) => ruleItem(r, ctx.scope)), nextToken };
  },
);
