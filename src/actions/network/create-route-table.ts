// CreateRouteTable: a table of the VPC with its local routes only (one per IPv4 and IPv6 block).
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { routeTableItem } from './gateway-views.js';
import { localRoutes } from '../../compute/network/vpc-blocks.js';

export default defineAction(
  'CreateRouteTable',
  { vpcId: fields.string('VpcId', { required: true }), tagSpecifications: fields.tagSpecifications(), clientToken: fields.string('ClientToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const id = ctx.ids.next('rtb');
    const tags = tagChange(input.tagSpecifications, 'route-table', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const table = await ctx.store.network.change(ctx.scope, ['vpc'], (view) => {
      const vpc = mustFind(view, 'vpc', input.vpcId);
      const t = {
        kind: 'route-table' as const,
        id,
        vpcId: vpc.id,
        data: { main: false, associations: [], routes: localRoutes(vpc.data) },
        tags: [],
      };
      return { changes: { put: [t], tag: tags }, result: t };
    });
    return { routeTable: routeTableItem(withTags(table, tags), ctx.scope, new Map()), clientToken: input.clientToken };
  },
);
