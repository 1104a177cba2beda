// DescribeInstanceCreditSpecifications: the CPU credit option of burstable instances (t2, t3, t3a,
// t4g). With InstanceIds, those of them that are burstable; without, as the API reference says,
// the burstable instances using the `unlimited` option. Terraform reads it for burstable types.
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { InstanceRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { checkInstanceSelection, pagedInstanceFields, findInstances } from './instance-views.js';
import { defaultCpuCredits } from './launch-options.js';
import { pageOf } from './pagination.js';

export const cpuCreditsOf = (r: InstanceRecord): string | undefined => r.options?.creditSpecification ?? defaultCpuCredits(r.instanceType);

const schema: FilterSchema<InstanceRecord> = { fields: { 'instance-id': (r) => [r.instanceId] } };

export default defineAction(
  'DescribeInstanceCreditSpecifications',
  pagedInstanceFields,
  async (ctx, input) => {
    checkInstanceSelection(input.instanceIds, input.maxResults);
    checkDryRun(input.dryRun);
    const live = (r: InstanceRecord) => r.state !== 'terminated';
    const list = input.instanceIds.length
      ? (await findInstances(ctx, input.instanceIds)).filter((r) => live(r) && cpuCreditsOf(r) !== undefined)
      : (await ctx.store.instances.list(ctx.scope)).filter((r) => live(r) && cpuCreditsOf(r) === 'unlimited');
    const { page, nextToken } = pageOf(applyFilters(list, input.filters, schema), input.nextToken, input.maxResults);
    return { instanceCreditSpecificationSet: page.map((r) => ({ instanceId: r.instanceId, cpuCredits: cpuCreditsOf(r) })), nextToken };
  },
);
