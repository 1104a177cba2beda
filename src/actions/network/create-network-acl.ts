// CreateNetworkAcl: an ACL of the VPC that denies everything until entries are added (its two `*` rules).
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { networkAclItem } from './gateway-views.js';
import { syncIpv6AclEntries } from '../../compute/network/vpc-blocks.js';

export default defineAction(
  'CreateNetworkAcl',
  { vpcId: fields.string('VpcId', { required: true }), tagSpecifications: fields.tagSpecifications(), clientToken: fields.string('ClientToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const id = ctx.ids.next('acl');
    const tags = tagChange(input.tagSpecifications, 'network-acl', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const acl = await ctx.store.network.change(ctx.scope, ['vpc'], (view) => {
      const vpc = mustFind(view, 'vpc', input.vpcId);
      const base = [false, true].map((egress) => ({ ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny' as const, cidrBlock: '0.0.0.0/0' }));
      // in a VPC with IPv6, the `*` rules deny IPv6 too
      const entries = syncIpv6AclEntries(base, false, !!vpc.data.ipv6Cidrs?.length);
      const a = { kind: 'network-acl' as const, id, vpcId: input.vpcId, data: { isDefault: false, entries, associations: [] }, tags: [] };
      return { changes: { put: [a], tag: tags }, result: a };
    });
    return { networkAcl: networkAclItem(withTags(acl, tags), ctx.scope), clientToken: input.clientToken };
  },
);
