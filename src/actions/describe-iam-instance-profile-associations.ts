// DescribeIamInstanceProfileAssociations: the instances' IAM instance profile associations, by
// association id and filters (instance-id, state), paged.
import { Ec2Error } from '../errors/ec2-error.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { InstanceRecord } from '../store/port.js';
import { defineAction } from './action.js';
import { fields } from './input.js';
import { associatedInstances, associationItem } from './iam-profile-associations.js';
import { pageOf } from './pagination.js';

const schema: FilterSchema<InstanceRecord> = {
  fields: {
    'instance-id': (r) => [r.instanceId],
    state: () => ['associated'],
  },
};

export default defineAction(
  'DescribeIamInstanceProfileAssociations',
  {
    associationIds: fields.list('AssociationId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
  },
  async (ctx, input) => {
    if (input.maxResults !== undefined && (input.maxResults < 5 || input.maxResults > 1000)) {
      throw new Ec2Error('InvalidParameterValue', `Value ( ${input.maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    let list = await associatedInstances(ctx);
    if (input.associationIds.length) {
      const missing = input.associationIds.find((id) => !list.some((r) => r.options!.iamInstanceProfile!.associationId === id));
      if (missing) throw new Ec2Error('InvalidAssociationID.NotFound', `An association ID ${missing} does not exist`);
      list = list.filter((r) => input.associationIds.includes(r.options!.iamInstanceProfile!.associationId));
    }
    const { page, nextToken } = pageOf(applyFilters(list, input.filters, schema), input.nextToken, input.maxResults);
    return { iamInstanceProfileAssociationSet: page.map((r) => associationItem(r)), nextToken };
  },
);
