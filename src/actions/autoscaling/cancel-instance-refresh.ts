// CancelInstanceRefresh: the active refresh stops replacing instances (Cancelling, then Cancelled
// once no replacement is under way); instances already replaced stay.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { ACTIVE_REFRESH } from './start-instance-refresh.js';

export default defineAction(
  'CancelInstanceRefresh',
  { autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }) },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const active = (g.instanceRefreshes ?? []).find((r) => ACTIVE_REFRESH.has(r.status) && r.status !== 'Cancelling');
    if (!active) throw autoScalingErrors.refreshNotFound(g.autoScalingGroupName);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      instanceRefreshes: (x.instanceRefreshes ?? []).map((r) => (r.instanceRefreshId === active.instanceRefreshId ? { ...r, status: 'Cancelling' } : r)),
    }));
    ctx.autoScaling.wake();
    return { InstanceRefreshId: active.instanceRefreshId };
  },
);
