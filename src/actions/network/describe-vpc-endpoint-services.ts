// DescribeVpcEndpointServices: the AWS services endpoints can reach in the Region.
import { Ec2Error } from '../../errors/ec2-error.js';
import { applyFilters } from '../../domain/filters.js';
import { endpointServices, type EndpointService } from '../../compute/network/endpoint-services.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';

export default defineAction(
  'DescribeVpcEndpointServices',
  { names: fields.list('ServiceName'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    let all = endpointServices(ctx.scope.region);
    const unknown = input.names.find((n) => !all.some((s) => s.name === n));
    if (unknown !== undefined) throw new Ec2Error('InvalidServiceName', unknown);
    if (input.names.length) all = all.filter((s) => input.names.includes(s.name));
    const filtered = applyFilters(all, input.filters, {
      fields: { 'service-name': (s: EndpointService) => [s.name], 'service-type': (s: EndpointService) => s.types, owner: () => ['amazon'] },
    });
    const { page, nextToken } = pageOf(filtered, input.nextToken, input.maxResults);
    const zones = ['a', 'b', 'c'].map((z) => `${ctx.scope.region}${z}`);
    return {
      serviceNameSet: page.map((s) => s.name),
      serviceDetailSet: page.map((s) => ({
        serviceName: s.name,
        serviceId: `vpce-svc-${Buffer.from(s.name).toString('hex').slice(-17)}`,
        serviceType: s.types.map((t) => ({ serviceType: t })),
        availabilityZoneSet: zones,
        owner: 'amazon',
        baseEndpointDnsNameSet: [`${s.name.split('.').slice(3).join('.')}.${ctx.scope.region}.vpce.amazonaws.com`],
        vpcEndpointPolicySupported: true,
        acceptanceRequired: false,
        managesVpcEndpoints: false,
        supportedIpAddressTypeSet: ['ipv4'],
      })),
      nextToken,
    };
  },
);
