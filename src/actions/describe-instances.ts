// DescribeInstances: instances grouped by reservation, by ids and filters; terminated instances
// stay listed (AWS keeps them visible for about an hour). MaxResults/NextToken paginate by
// instance and cannot be combined with InstanceIds.
import { Ec2Error } from '../errors/ec2-error.js';
import { STATE_CODES } from '../compute/instance-state.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { InstanceRecord, VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, instanceItem, attachedVolumes } from './instance-views.js';
import { decodeToken, encodeToken } from './pagination.js';

/** The filters, given each instance's attached EBS volumes (the block-device-mapping.* ones read them). */
const filterSchema = (volumes: Map<string, VolumeRecord[]>): FilterSchema<InstanceRecord> => {
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
      'ip-address': (r) => [r.state === 'pending' || r.state === 'running' ? r.publicIp : undefined],
      'private-ip-address': (r) => [r.state === 'terminated' ? undefined : r.privateIp],
      'root-device-type': (r) => [r.rootDeviceType],
      'root-device-name': (r) => [r.rootDeviceName],
      'reservation-id': (r) => [r.reservationId],
      'client-token': (r) => [r.clientToken],
      'ami-launch-index': (r) => [String(r.amiLaunchIndex)],
      'block-device-mapping.volume-id': (r) => ebs(r).map((v) => v.volumeId),
      'block-device-mapping.device-name': (r) => ebs(r).map((v) => v.attachment!.device),
      'block-device-mapping.status': (r) => ebs(r).map((v) => v.attachment!.state),
      'block-device-mapping.attach-time': (r) => ebs(r).map((v) => v.attachment!.attachTime.toISOString()),
      'block-device-mapping.delete-on-termination': (r) => ebs(r).map((v) => String(v.attachment!.deleteOnTermination)),
      'metadata-options.http-tokens': (r) => [r.metadataOptions.httpTokens],
      'metadata-options.http-endpoint': (r) => [r.metadataOptions.httpEndpoint],
      'metadata-options.http-put-response-hop-limit': (r) => [String(r.metadataOptions.httpPutResponseHopLimit)],
    },
    tags: (r) => r.tags,
  };
};

export default defineAction(
  'DescribeInstances',
  {
    instanceIds: fields.list('InstanceId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds(input.instanceIds);
    if (input.maxResults !== undefined && input.instanceIds.length) {
      throw new Ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
    }
    if (input.maxResults !== undefined && (input.maxResults < 5 || input.maxResults > 1000)) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value ( ${input.maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
    checkDryRun(input.dryRun);
    const all = input.instanceIds.length ? await findInstances(ctx, input.instanceIds) : await ctx.store.instances.list(ctx.scope);
    const volumes = await attachedVolumes(ctx, all);
    const matching = applyFilters(all, input.filters, filterSchema(volumes));
    const start = input.nextToken ? decodeToken(input.nextToken) : 0;
    const end = input.maxResults ? start + input.maxResults : matching.length;
    const page = matching.slice(start, end);
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
        instancesSet: list.map((r) => instanceItem(r, ctx.scope, volumes.get(r.instanceId) ?? [])),
      })),
      nextToken: end < matching.length ? encodeToken(end) : undefined,
    };
  },
);
