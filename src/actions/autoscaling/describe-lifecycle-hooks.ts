// DescribeLifecycleHooks: a group's hooks, all or by name.
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { findGroup } from './groups.js';
import { hookXml } from './lifecycle-hooks.js';

export default defineAction(
  'DescribeLifecycleHooks',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    lifecycleHookNames: fields.list('LifecycleHookNames.member'),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const hooks = (g.lifecycleHooks ?? []).filter((h) => !input.lifecycleHookNames.length || input.lifecycleHookNames.includes(h.lifecycleHookName));
    return { LifecycleHooks: hooks.map((h) => hookXml(g, h)) };
  },
);
