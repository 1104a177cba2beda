// CreateManagedPrefixList: a customer-managed list of CIDRs (one address family), version 1.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { PrefixListData } from '../../compute/network/model.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready, tagChange, withTags } from './common.js';
import { checkEntries, checkMaxEntries, entryCidr } from './prefix-list-rules.js';
import { ownView, prefixListItem } from './prefix-list-views.js';

export default defineAction(
  'CreateManagedPrefixList',
  {
    name: fields.string('PrefixListName', { required: true }),
    entries: fields.structList('Entry', { cidr: fields.string('Cidr'), description: fields.string('Description') }),
    maxEntries: fields.integer('MaxEntries'),
    addressFamily: fields.string('AddressFamily', { required: true }),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const family = input.addressFamily;
    if (family !== 'IPv4' && family !== 'IPv6')
      throw new Ec2Error('InvalidParameterValue', `Value (${family}) for parameter addressFamily is invalid. Valid values are IPv4 and IPv6.`);
    if (input.name.startsWith('com.amazonaws')) throw new Ec2Error('InvalidParameterValue', `The prefix list name '${input.name}' is reserved: it cannot start with com.amazonaws.`);
    const maxEntries = checkMaxEntries(input.maxEntries);
    const entries = input.entries.map((e) => {
      if (e.cidr === undefined) throw new Ec2Error('MissingParameter', 'Entry.N.Cidr');
      return { cidr: entryCidr(e.cidr, family), ...(e.description !== undefined ? { description: e.description } : {}) };
    });
    checkEntries(entries, maxEntries);
    const id = ctx.ids.next('pl');
    const tags = tagChange(input.tagSpecifications, 'prefix-list', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const created = await ctx.store.network.change(ctx.scope, ['prefix-list'], (view) => {
      const again = input.clientToken !== undefined && ofKind(view, 'prefix-list').find((p) => p.data.clientToken === input.clientToken);
      if (again) return { changes: {}, result: again };
      const data: PrefixListData = { name: input.name, addressFamily: family, maxEntries, version: 1, versions: [{ version: 1, entries }], state: 'create-complete', clientToken: input.clientToken };
      const o = { kind: 'prefix-list' as const, id, data, tags: [] };
      return { changes: { put: [o], tag: tags }, result: withTags(o, tags) };
    });
    return { prefixList: prefixListItem(ownView(created, ctx.scope)) };
  },
);
