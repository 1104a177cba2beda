// DescribeSecurityGroups: by id, by name (names resolve in the default VPC), filters on the
// groups and on their rules (ip-permission.*, egress.ip-permission.*).
import { Ec2Error } from '../../errors/ec2-error.js';
import { applyFilters } from '../../domain/filters.js';
import type { Obj } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, ready } from './common.js';
import { securityGroupFilters, securityGroupItem } from './views.js';

export default defineAction(
  'DescribeSecurityGroups',
  {
    groupIds: fields.list('GroupId'),
    groupNames: fields.list('GroupName'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('security-group', input.groupIds);
    if (input.maxResults !== undefined && (input.groupIds.length || input.groupNames.length)) {
      throw new Ec2Error('InvalidParameterCombination', 'The parameter groupIds cannot be used with the parameter maxResults');
    }
    checkDryRun(input.dryRun);
    await ready(ctx);
    const [all, rules, vpcs] = await Promise.all([
      ctx.store.network.list(ctx.scope, 'security-group') as Promise<Obj<'security-group'>[]>,
      ctx.store.network.list(ctx.scope, 'security-group-rule') as Promise<Obj<'security-group-rule'>[]>,
      ctx.store.network.list(ctx.scope, 'vpc') as Promise<Obj<'vpc'>[]>,
    ]);
    let groups = all;
    if (input.groupIds.length || input.groupNames.length) {
      const missingId = input.groupIds.find((id) => !all.some((g) => g.id === id));
      if (missingId) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${missingId}' does not exist`);
      const defaultVpc = vpcs.find((v) => v.data.isDefault);
      const byName = input.groupNames.map((n) => {
        const g = all.find((x) => x.vpcId === defaultVpc?.id && x.data.groupName === n);
        if (!g) {
          throw new Ec2Error('InvalidGroup.NotFound', defaultVpc ? `The security group '${n}' does not exist in default VPC '${defaultVpc.id}'` : `The security group '${n}' does not exist`);
        }
        return g;
      });
      const wanted = new Set([...input.groupIds, ...byName.map((g) => g.id)]);
      groups = all.filter((g) => wanted.has(g.id));
    }
    const rulesByGroup = new Map<string, Obj<'security-group-rule'>[]>();
    for (const r of rules) {
      let list = rulesByGroup.get(r.parentId!);
      if (!list) rulesByGroup.set(r.parentId!, (list = []));
      list.push(r);
    }
    const rulesOf = (id: string) => rulesByGroup.get(id) ?? [];
    groups = applyFilters(groups, input.filters, securityGroupFilters(rulesOf, ctx.scope));
    const { page, nextToken } = pageOf(groups, input.nextToken, input.maxResults);
    return { securityGroupInfo: page.map((g) => securityGroupItem(g, rulesOf(g.id), ctx.scope)), nextToken };
  },
);
