// DeleteVpcEndpoints: each endpoint goes with its routes; ids not found come back as unsuccessful items.
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, ready } from './common.js';
import { endpointRoutes } from './vpc-endpoint-rules.js';
import type { NetObject } from '../../store/port.js';

export default defineAction('DeleteVpcEndpoints', { ids: fields.list('VpcEndpointId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkIds('vpc-endpoint', input.ids);
  checkDryRun(input.dryRun);
  await ready(ctx);
  const missing = await ctx.store.network.change(ctx.scope, ['vpc-endpoint', 'route-table'], (view) => {
    const found = ofKind(view, 'vpc-endpoint').filter((e) => input.ids.includes(e.id));
    const put: NetObject[] = [];
    for (const e of found) put.push(...endpointRoutes(view, e.id, '', [], e.data.routeTableIds));
    return { changes: { put, remove: found.map((e) => e.id) }, result: input.ids.filter((id) => !found.some((e) => e.id === id)) };
  });
  return {
    unsuccessful: missing.map((id) => ({ error: { code: 'InvalidVpcEndpointId.NotFound', message: `The VpcEndpoint ID '${id}' does not exist` }, resourceId: id })),
  };
});
