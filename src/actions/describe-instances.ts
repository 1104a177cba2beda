// DescribeInstances: instances grouped by reservation, by ids and filters; terminated instances
// stay listed (AWS keeps them visible for about an hour). MaxResults/NextToken paginate by
// instance and cannot be combined with InstanceIds. Filters with exact values on the common fields
// (ids, state, key name, image, zone, type, reservation, tags) and the page bounds are applied by
// the store, so a filtered or paged describe of 10,000 instances reads only what it answers.
import { STATE_CODES } from '../compute/instance-state.js';
import { applyFilters, isLiteral, type Filter, type FilterSchema } from '../domain/filters.js';
import { INSTANCE_QUERY_FIELDS, type InstanceQuery, type InstanceQueryField, type InstanceRecord, type Scope, type VolumeRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import { checkDryRun, defineAction } from './action.js';
import { checkInstanceSelection, pagedInstanceFields, findInstances, instanceItem, attachedVolumes } from './instance-views.js';
import { decodeToken, encodeToken } from './pagination.js';
import { instanceNetworks, type InstanceNetwork } from '../compute/network/instance-network.js';
import { instanceNetworkFilters } from './network/instance-filters.js';
import { shownPublicIp } from './network/instance-items.js';
import { launchFilterFields } from './instance-filters.js';
import { wholeSecondsIso } from '../domain/aws-time.js';

/** The filters, given each instance's attached EBS volumes (the block-device-mapping.* ones read them) and networks. */
const filterSchema = (volumes: Map<string, VolumeRecord[]>, scope: Scope, nets: Map<string, InstanceNetwork> = new Map()): FilterSchema<InstanceRecord> => {
  const ebs = (r: InstanceRecord) => (volumes.get(r.instanceId) ?? []).filter((v) => v.volumeId.startsWith('vol-'));
  return {
    fields: {
      'instance-id': (r) => [r.instanceId],
      'instance-state-name': (r) => [r.state],
      'instance-state-code': (r) => [String(STATE_CODES[r.state])],
      'key-name': (r) => [r.keyName],
      'image-id': (r) => [r.imageId],
      'instance-type': (r) => [r.instanceType],
      'availability-zone': (r) => [r.availabilityZone],
      'ip-address': (r) => [shownPublicIp(r)],
      'private-ip-address': (r) => [r.state === 'terminated' ? undefined : r.privateIp],
      'root-device-type': (r) => [r.rootDeviceType],
      'root-device-name': (r) => [r.rootDeviceName],
      'reservation-id': (r) => [r.reservationId],
      'client-token': (r) => [r.clientToken],
      'ami-launch-index': (r) => [String(r.amiLaunchIndex)],
      'block-device-mapping.volume-id': (r) => ebs(r).map((v) => v.volumeId),
      'block-device-mapping.device-name': (r) => ebs(r).map((v) => v.attachment!.device),
      'block-device-mapping.status': (r) => ebs(r).map((v) => v.attachment!.state),
      'block-device-mapping.attach-time': (r) => ebs(r).map((v) => wholeSecondsIso(v.attachment!.attachTime)),
      'block-device-mapping.delete-on-termination': (r) => ebs(r).map((v) => String(v.attachment!.deleteOnTermination)),
      'metadata-options.http-tokens': (r) => [r.metadataOptions.httpTokens],
      'metadata-options.http-endpoint': (r) => [r.metadataOptions.httpEndpoint],
      'metadata-options.http-put-response-hop-limit': (r) => [String(r.metadataOptions.httpPutResponseHopLimit)],
      ...launchFilterFields(scope),
      ...instanceNetworkFilters((r) => nets.get(r.instanceId)),
    },
    tags: (r) => r.tags,
  };
};

type Page = { page: InstanceRecord[]; volumes: Map<string, VolumeRecord[]>; nets?: Map<string, InstanceNetwork>; after?: number };

/** InstanceIds given: each must exist (no paging with them); filters apply in memory to those few. */
async function byIds(ctx: ActionContext, ids: readonly string[], filters: readonly Filter[]): Promise<Page> {
  const found = await findInstances(ctx, ids);
  const volumes = await attachedVolumes(ctx, found);
  const nets = await instanceNetworks(ctx.store, ctx.scope, found.map((r) => r.instanceId));
  return { page: applyFilters(found, filters, filterSchema(volumes, ctx.scope, nets)), volumes, nets };
}

const QUERY_FIELDS = new Set<string>(INSTANCE_QUERY_FIELDS);

/**
 * The scope's instances: filters with exact values on the fields the store knows, and the page
 * bounds, go to the store; the rest (wildcards, other fields) apply here to what it returns. The
 * NextToken carries the position of the page's last instance in launch order.
 */
async function byQuery(ctx: ActionContext, filters: readonly Filter[], maxResults: number | undefined, after: number | undefined): Promise<Page> {
  applyFilters([], filters, filterSchema(new Map(), ctx.scope)); // unknown filter names are refused first
  const query: InstanceQuery & { fields: InstanceQuery['fields'] & unknown[]; tags: { key: string; values: string[] }[]; tagKeys: string[][] } = {
    fields: [],
    tags: [],
    tagKeys: [],
    after,
  };
  const rest: Filter[] = [];
  for (const f of filters) {
    if (!f.values.every(isLiteral)) rest.push(f);
    else if (QUERY_FIELDS.has(f.name)) query.fields.push({ field: f.name as InstanceQueryField, values: f.values });
    else if (f.name.startsWith('tag:')) query.tags.push({ key: f.name.slice('tag:'.length), values: f.values });
    else if (f.name === 'tag-key') query.tagKeys.push(f.values);
    else rest.push(f);
  }
  if (rest.length === 0) {
    // Everything is in the store's hands: read one more than a page to know whether another follows.
    const found = await ctx.store.instances.query(ctx.scope, { ...query, limit: maxResults === undefined ? undefined : maxResults + 1 });
    const rows = maxResults === undefined ? found : found.slice(0, maxResults);
    const page = rows.map((r) => r.instance);
    const more = found.length > rows.length;
    return { page, volumes: await attachedVolumes(ctx, page), after: more ? rows[rows.length - 1]!.position : undefined };
  }
  const found = await ctx.store.instances.query(ctx.scope, query);
  const candidates = found.map((r) => r.instance);
  const volumes = await attachedVolumes(ctx, candidates);
  const nets = await instanceNetworks(ctx.store, ctx.scope, candidates.map((r) => r.instanceId));
  const matching = new Set(applyFilters(candidates, rest, filterSchema(volumes, ctx.scope, nets)));
  const rows = found.filter((r) => matching.has(r.instance));
  const pageRows = maxResults === undefined ? rows : rows.slice(0, maxResults);
  const more = pageRows.length < rows.length;
  return { page: pageRows.map((r) => r.instance), volumes, nets, after: more ? pageRows[pageRows.length - 1]!.position : undefined };
}

export default defineAction(
  'DescribeInstances',
  pagedInstanceFields,
  async (ctx, input) => {
    checkInstanceSelection(input.instanceIds, input.maxResults);
    checkDryRun(input.dryRun);
    const { page, volumes, nets: known, after } = input.instanceIds.length
      ? await byIds(ctx, input.instanceIds, input.filters)
      : await byQuery(ctx, input.filters, input.maxResults, input.nextToken ? decodeToken(input.nextToken) : undefined);
    const nets = known ?? (await instanceNetworks(ctx.store, ctx.scope, page.map((r) => r.instanceId)));
    // Reservations in order of their first instance on the page.
    const reservations = new Map<string, InstanceRecord[]>();
    for (const r of page) {
      let list = reservations.get(r.reservationId);
      if (!list) reservations.set(r.reservationId, (list = []));
      list.push(r);
    }
    return {
      reservationSet: [...reservations].map(([reservationId, list]) => ({
        reservationId,
        ownerId: ctx.scope.accountId,
        groupSet: [],
        instancesSet: list.map((r) => instanceItem(r, ctx.scope, volumes.get(r.instanceId) ?? [], nets.get(r.instanceId))),
      })),
      nextToken: after === undefined ? undefined : encodeToken(after),
    };
  },
);
