// ModifyInstanceMetadataOptions: persists the new options and applies them to the running
// guest's metadata service at once (HttpTokens=required → IMDSv1 requests get 401).
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';
import { DEFAULT_METADATA_OPTIONS, mergeMetadataOptions, metadataOptionMembers } from './metadata-options.js';

export default defineAction(
  'ModifyInstanceMetadataOptions',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    ...metadataOptionMembers,
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const { instanceId, dryRun, ...options } = input;
    checkInstanceIds([instanceId]);
    mergeMetadataOptions(DEFAULT_METADATA_OPTIONS, options); // validates the hop limit
    checkDryRun(dryRun);
    const [current] = await findInstances(ctx, [instanceId]);
    const merged = mergeMetadataOptions(current!.metadataOptions, options);
    if (current!.state === 'terminated' || current!.state === 'shutting-down') {
      throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be modified.`);
    }
    const next = await ctx.store.instances.update(ctx.scope, instanceId, (r) => ({ ...r, metadataOptions: merged }));
    await ctx.runtime.setMetadataOptions(instanceId, next!.metadataOptions);
    const m = next!.metadataOptions;
    return {
      instanceId,
      instanceMetadataOptions: {
        state: 'pending',
        httpTokens: m.httpTokens,
        httpPutResponseHopLimit: m.httpPutResponseHopLimit,
        httpEndpoint: m.httpEndpoint,
        httpProtocolIpv6: m.httpProtocolIpv6,
        instanceMetadataTags: m.instanceMetadataTags,
      },
    };
  },
);
