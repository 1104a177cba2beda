// The network resources CreateTags/DeleteTags/DescribeTags address, by id prefix.
import type { NetKind } from '../../store/port.js';
import type { ActionContext } from '../context.js';
import { notFound } from './common.js';

const KINDS: [string, NetKind][] = [
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
  ['igw-', 'internet-gateway'],
  ['rtb-', 'route-table'],
  ['acl-', 'network-acl'],
  ['dopt-', 'dhcp-options'],
  ['sg-', 'security-group'],
  ['sgr-', 'security-group-rule'],
  ['eni-', 'network-interface'],
  ['eipalloc-', 'elastic-ip'],
  ['pl-', 'prefix-list'],
  ['vpce-', 'vpc-endpoint'],
  ['eigw-', 'egress-only-internet-gateway'],
];

export const networkTaggables = KINDS.map(([prefix, kind]) => ({
  prefix,
  type: kind,
  exists: async (ctx: ActionContext, id: string) => (await ctx.store.network.list(ctx.scope, kind, { ids: [id] })).length > 0,
  notFound: (id: string) => notFound(kind, id),
}));
