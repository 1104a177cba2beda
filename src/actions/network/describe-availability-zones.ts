// DescribeAvailabilityZones: the Region's zones (those with default subnets), as Terraform and
// moto's tests ask for them.
import { Ec2Error } from '../../errors/ec2-error.js';
import { zoneId, zonesOf } from '../../compute/network/zones.js';
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';

export default defineAction(
  'DescribeAvailabilityZones',
  { zoneNames: fields.list('ZoneName'), zoneIds: fields.list('ZoneId'), allAvailabilityZones: fields.boolean('AllAvailabilityZones'), filters: fields.filters(), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const region = ctx.scope.region;
    let zones = zonesOf(region).map((name) => ({ name, id: zoneId(name) }));
    const unknown = input.zoneNames.find((n) => !zones.some((z) => z.name === n));
    if (unknown) throw new Ec2Error('InvalidParameterValue', `The zone '${unknown}' does not exist.`);
    if (input.zoneNames.length || input.zoneIds.length) zones = zones.filter((z) => input.zoneNames.includes(z.name) || input.zoneIds.includes(z.id));
    zones = applyFilters(zones, input.filters, {
      fields: {
        'zone-name': (z) => [z.name],
        'zone-id': (z) => [z.id],
        'region-name': () => [region],
        state: () => ['available'],
        'zone-type': () => ['availability-zone'],
        'opt-in-status': () => ['opt-in-not-required'],
        'group-name': () => [region],
        'network-border-group': () => [region],
      },
    });
    return {
      availabilityZoneInfo: zones.map((z) => ({
        zoneName: z.name,
        zoneState: 'available',
        regionName: region,
        messageSet: [],
        optInStatus: 'opt-in-not-required',
        zoneId: z.id,
        groupName: region,
        networkBorderGroup: region,
        zoneType: 'availability-zone',
      })),
    };
  },
);
