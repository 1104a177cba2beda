// DescribeInstanceStatus: instance and system status checks. Running instances pass both
// (`ok`, reachability `passed`) and their EBS volumes are reachable; with IncludeAllInstances the
// others are listed too (terminated ones while DescribeInstances lists them), their checks `not-applicable`. What `aws ec2 wait instance-status-ok` and
// `system-status-ok` poll.
import { STATE_CODES, stateOf } from '../compute/instance-state.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { InstanceRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceSelection, selectInstances } from './instance-views.js';
import type { ActionOutput } from './output.js';
import { pageOf } from './pagination.js';

const checkStatus = (r: InstanceRecord) => (r.state === 'running' ? 'ok' : 'not-applicable');
const reachability = (r: InstanceRecord) => (r.state === 'running' ? 'passed' : undefined);
// The instance check fails (reachability `failed`, ImpairedSince) when a step of its boot kept
// ending its guest's host (issue 19, guest/worker-engine.ts); the host itself (system check) is fine.
const impaired = (r: InstanceRecord) => r.state === 'running' && r.impairedSince !== undefined;
const instanceCheck = (r: InstanceRecord) => (impaired(r) ? 'impaired' : checkStatus(r));
const instanceReachability = (r: InstanceRecord) => (impaired(r) ? 'failed' : reachability(r));

const schema: FilterSchema<InstanceRecord> = {
  fields: {
    'availability-zone': (r) => [r.availabilityZone],
    'instance-state-name': (r) => [r.state],
    'instance-state-code': (r) => [String(STATE_CODES[r.state])],
    'instance-status.status': (r) => [instanceCheck(r)],
    'instance-status.reachability': (r) => [instanceReachability(r)],
    'system-status.status': (r) => [checkStatus(r)],
    'system-status.reachability': (r) => [reachability(r)],
    'attached-ebs-status.status': (r) => [checkStatus(r)],
    'attached-ebs-status.reachability': (r) => [reachability(r)],
    // ec2lite schedules no events
    'event.code': () => [],
    'event.description': () => [],
    'event.instance-event-id': () => [],
    'event.not-after': () => [],
    'event.not-before': () => [],
    'event.not-before-deadline': () => [],
  },
};

function summary(r: InstanceRecord): ActionOutput {
  const passed = reachability(r);
  return { status: checkStatus(r), details: passed ? [{ name: 'reachability', status: passed }] : undefined };
}

function instanceSummary(r: InstanceRecord): ActionOutput {
  if (!impaired(r)) return summary(r);
  return { status: 'impaired', details: [{ impairedSince: new Date(r.impairedSince!), name: 'reachability', status: 'failed' }] };
}

export default defineAction(
  'DescribeInstanceStatus',
  {
    instanceIds: fields.list('InstanceId'),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    includeManagedResources: fields.boolean('IncludeManagedResources'),
    dryRun: fields.boolean('DryRun'),
    filters: fields.filters(),
    includeAllInstances: fields.boolean('IncludeAllInstances'),
  },
  async (ctx, input) => {
    checkInstanceSelection(input.instanceIds, input.maxResults);
    checkDryRun(input.dryRun);
    const all = await selectInstances(ctx, input.instanceIds);
    // Without IncludeAllInstances only running instances; with it every state, terminated ones while they are listed.
    const listed = all.filter((r) => input.includeAllInstances || r.state === 'running');
    const { page, nextToken } = pageOf(applyFilters(listed, input.filters, schema), input.nextToken, input.maxResults);
    return {
      instanceStatusSet: page.map((r) => ({
        availabilityZone: r.availabilityZone,
        instanceId: r.instanceId,
        instanceState: stateOf(r.state),
        instanceStatus: instanceSummary(r),
        systemStatus: summary(r),
        attachedEbsStatus: summary(r),
      })),
      nextToken,
    };
  },
);
