// CreateInternetGateway: a detached gateway.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready, tagChange, withTags } from './common.js';
import { internetGatewayItem } from './gateway-views.js';

export default defineAction('CreateInternetGateway', { tagSpecifications: fields.tagSpecifications(), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  const id = ctx.ids.next('igw');
  const tags = tagChange(input.tagSpecifications, 'internet-gateway', id);
  checkDryRun(input.dryRun);
  await ready(ctx);
  const g = { kind: 'internet-gateway' as const, id, data: {}, tags: [] };
  await ctx.store.network.change(ctx.scope, [], () => ({ changes: { put: [g], tag: tags }, result: undefined }));
  return { internetGateway: internetGatewayItem(withTags(g, tags), ctx.scope) };
});
