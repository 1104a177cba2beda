// DescribeLifecycleHookTypes: the two transitions a hook can wait on.
import { defineAction } from '../action.js';

export default defineAction('DescribeLifecycleHookTypes', {}, async () => ({
  LifecycleHookTypes: ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'],
}));
