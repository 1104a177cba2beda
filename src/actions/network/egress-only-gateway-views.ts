// Egress-only internet gateways as EC2 writes them, and their filters.
import type { Obj } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { ActionOutput } from '../output.js';

export const egressOnlyGatewayItem = (g: Obj<'egress-only-internet-gateway'>): ActionOutput => ({
  attachmentSet: [{ state: 'attached', vpcId: g.data.attachedVpcId }],
  egressOnlyInternetGatewayId: g.id,
  tagSet: g.tags.length ? tagSet(g.tags) : undefined,
});

export const egressOnlyGatewayFilters: FilterSchema<Obj<'egress-only-internet-gateway'>> = {
  fields: {
    'egress-only-internet-gateway-id': (g) => [g.id],
    'attachment.vpc-id': (g) => [g.data.attachedVpcId],
    'attachment.state': () => ['attached'],
  },
  tags: (g) => g.tags,
};
