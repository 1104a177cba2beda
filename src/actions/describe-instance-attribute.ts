// DescribeInstanceAttribute: one attribute of one instance (userData as base64, instanceType,
// disableApiTermination, …), in EC2's `<attr><value>…</value></attr>` shape.
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { attributeValue, checkAttributeName } from './instance-attributes.js';
import { attachedVolumes, checkInstanceIds, findInstances } from './instance-views.js';
import { instanceNetworks } from '../compute/network/instance-network.js';

export default defineAction(
  'DescribeInstanceAttribute',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    attribute: fields.string('Attribute', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const attribute = checkAttributeName(input.attribute);
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    const volumes = attribute === 'blockDeviceMapping' ? ((await attachedVolumes(ctx, [instance!])).get(input.instanceId) ?? []) : [];
    const userData = attribute === 'userData' ? await ctx.store.instances.userData(ctx.scope, input.instanceId) : undefined;
    const net = attribute === 'groupSet' ? (await instanceNetworks(ctx.store, ctx.scope, [input.instanceId])).get(input.instanceId) : undefined;
    return { instanceId: input.instanceId, ...attributeValue(instance!, ctx.scope, volumes, attribute, userData, net) };
  },
);
