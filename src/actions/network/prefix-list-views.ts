// Managed prefix lists as DescribeManagedPrefixLists writes them (the account's and AWS's), and their filters.
import type { AwsPrefixList } from '../../compute/network/aws-prefix-lists.js';
import type { Obj } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { Scope } from '../../store/port.js';
import type { ActionOutput } from '../output.js';

/** One shape for both: the account's lists (stored) and AWS's (computed, owner `AWS`). */
export interface PrefixListView {
  id: string;
  name: string;
  addressFamily: string;
  state: string;
  version?: number;
  maxEntries?: number;
  ownerId: string;
  arn: string;
  tags: { key: string; value: string }[];
  entries: { cidr: string; description?: string }[];
}

export const ownView = (o: Obj<'prefix-list'>, scope: Scope): PrefixListView => ({
  id: o.id,
  name: o.data.name,
  addressFamily: o.data.addressFamily,
  state: o.data.state,
  version: o.data.version,
  maxEntries: o.data.maxEntries,
  ownerId: scope.accountId,
  arn: `arn:aws:ec2:${scope.region}:${scope.accountId}:prefix-list/${o.id}`,
  tags: o.tags,
  entries: o.data.versions.at(-1)!.entries,
});

export const awsView = (p: AwsPrefixList, scope: Scope): PrefixListView => ({
  id: p.id,
  name: p.name,
  addressFamily: 'IPv4',
  state: 'create-complete',
  ownerId: 'AWS',
  arn: `arn:aws:ec2:${scope.region}:aws:prefix-list/${p.id}`,
  tags: [],
  entries: p.entries,
});

export const prefixListItem = (v: PrefixListView): ActionOutput => ({
  prefixListId: v.id,
  addressFamily: v.addressFamily,
  state: v.state,
  prefixListArn: v.arn,
  prefixListName: v.name,
  maxEntries: v.maxEntries,
  version: v.version,
  tagSet: v.tags.length ? tagSet(v.tags) : [],
  ownerId: v.ownerId,
});

export const prefixListFilters: FilterSchema<PrefixListView> = {
  fields: {
    'owner-id': (v) => [v.ownerId],
    'prefix-list-id': (v) => [v.id],
    'prefix-list-name': (v) => [v.name],
  },
  tags: (v) => v.tags,
};
