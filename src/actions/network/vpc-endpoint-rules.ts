// What Create/ModifyVpcEndpoint share: a gateway endpoint's routes to the service's prefix list in
// its route tables; the route tables, subnets and groups an endpoint names must be in its VPC.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind, type Obj, type RouteTableData } from '../../compute/network/model.js';
import type { NetView } from '../../store/port.js';

export function checkInVpc(view: NetView, vpcId: string, tables: readonly string[], subnets: readonly string[], groups: readonly string[]): void {
  const check = (kind: 'route-table' | 'subnet' | 'security-group', ids: readonly string[], notFound: (id: string) => Ec2Error) => {
    for (const id of ids) {
      const o = ofKind(view, kind).find((x) => x.id === id);
      if (!o) throw notFound(id);
      if (o.vpcId !== vpcId) throw new Ec2Error('InvalidParameter', `${id} does not belong to ${vpcId}.`);
    }
  };
  check('route-table', tables, (id) => new Ec2Error('InvalidRouteTableID.NotFound', id));
  check('subnet', subnets, (id) => new Ec2Error('InvalidSubnetID.NotFound', id));
  check('security-group', groups, (id) => new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`));
}

/** Route tables with the endpoint's route added (to `add`) and removed (from `remove`). */
export function endpointRoutes(view: NetView, endpointId: string, prefixListId: string, add: readonly string[], remove: readonly string[]): Obj<'route-table'>[] {
  const out: Obj<'route-table'>[] = [];
  for (const t of ofKind(view, 'route-table')) {
    let routes: RouteTableData['routes'] = t.data.routes;
    if (remove.includes(t.id)) routes = routes.filter((r) => r.gatewayId !== endpointId);
    if (add.includes(t.id) && !routes.some((r) => r.gatewayId === endpointId))
      routes = [...routes, { destinationPrefixListId: prefixListId, gatewayId: endpointId, origin: 'CreateRoute' }];
    if (routes !== t.data.routes) out.push({ ...t, data: { ...t.data, routes } });
  }
  return out;
}
