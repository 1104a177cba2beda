// What the network actions share: the default network before anything else, id checks, lookups
// that fail as AWS does, and TagSpecifications → tag changes.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { ErrorCode } from '../../errors/catalogue.js';
import { ensureNetwork } from '../../compute/network/ensure.js';
import type { NetData, Obj } from '../../compute/network/model.js';
import type { NetChanges, NetKind, NetView } from '../../store/port.js';
import type { Tag } from '../../domain/tags.js';
import type { ActionContext } from '../context.js';
import type { TagSpecification } from '../input.js';
import { tagsFor } from '../tag-specifications.js';

/** Every network action starts here: the account's default network exists from its first call. */
export const ready = (ctx: ActionContext): Promise<void> => ensureNetwork(ctx.store, ctx.ids, ctx.scope);

const NOT_FOUND: Partial<Record<NetKind, ErrorCode>> = {
  vpc: 'InvalidVpcID.NotFound',
  subnet: 'InvalidSubnetID.NotFound',
  'network-interface': 'InvalidNetworkInterfaceID.NotFound',
  'internet-gateway': 'InvalidInternetGatewayID.NotFound',
  'route-table': 'InvalidRouteTableID.NotFound',
  'network-acl': 'InvalidNetworkAclID.NotFound',
  'dhcp-options': 'InvalidDhcpOptionID.NotFound',
  'elastic-ip': 'InvalidAllocationID.NotFound',
  'security-group-rule': 'InvalidSecurityGroupRuleId.NotFound',
  'prefix-list': 'InvalidPrefixListID.NotFound',
  'vpc-endpoint': 'InvalidVpcEndpointId.NotFound',
  'egress-only-internet-gateway': 'InvalidGatewayID.NotFound',
};

const MALFORMED: Partial<Record<NetKind, [string, ErrorCode]>> = {
  vpc: ['vpc', 'InvalidVpcID.Malformed'],
  subnet: ['subnet', 'InvalidSubnetID.Malformed'],
  'security-group': ['sg', 'InvalidGroupId.Malformed'],
  'network-interface': ['eni', 'InvalidNetworkInterfaceID.Malformed'],
  'security-group-rule': ['sgr', 'InvalidSecurityGroupRuleId.Malformed'],
  'prefix-list': ['pl', 'InvalidPrefixListId.Malformed'],
  'vpc-endpoint': ['vpce', 'InvalidVpcEndpointId.Malformed'],
};

/** An id of this prefix: hex digits after it (any count: AWS answers NotFound, not Malformed, for `vpc-12345`). */
export const isIdOf = (prefix: string, id: string): boolean => new RegExp(`^${prefix}-[0-9a-f]+$`).test(id);

/** Refuses the first malformed id (kinds whose malformed ids AWS names). */
export function checkIds(kind: NetKind, ids: readonly string[]): void {
  const m = MALFORMED[kind];
  if (!m) return;
  const bad = ids.find((id) => !isIdOf(m[0], id));
  if (bad !== undefined) throw new Ec2Error(m[1], bad);
}

export function notFound(kind: NetKind, id: string): Ec2Error {
  if (kind === 'security-group') return new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  return new Ec2Error(NOT_FOUND[kind] ?? 'InvalidParameterValue', id);
}

/** The object of `kind` with this id in the view, or AWS's NotFound. */
export function mustFind<K extends NetKind>(view: NetView, kind: K, id: string): Obj<K> {
  const o = (view.get(kind) ?? []).find((x) => x.id === id);
  if (!o) throw notFound(kind, id);
  return o as Obj<K>;
}

/** Lists objects by ids (all must exist: the first missing one is AWS's NotFound) or all of the scope. */
export async function listByIds<K extends NetKind>(ctx: ActionContext, kind: K, ids: readonly string[]): Promise<Obj<K>[]> {
  checkIds(kind, ids);
  await ready(ctx);
  const found = (await ctx.store.network.list<NetData[K]>(ctx.scope, kind, ids.length ? { ids } : undefined)) as Obj<K>[];
  const missing = ids.find((id) => !found.some((o) => o.id === id));
  if (missing !== undefined) throw notFound(kind, missing);
  return found;
}

/** The tag changes for a new object from the request's TagSpecifications. */
export function tagChange(specs: readonly TagSpecification[], kind: NetKind, id: string): NonNullable<NetChanges['tag']> {
  const tags: Tag[] = tagsFor(specs, [kind], kind);
  return tags.length ? [{ id, kind, tags }] : [];
}

/** An object as just written (tags from its TagSpecifications). */
export const withTags = <T extends { tags: Tag[] }>(o: T, tags: NonNullable<NetChanges['tag']>): T => ({ ...o, tags: [...(tags[0]?.tags ?? [])] });
