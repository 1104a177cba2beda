// EC2 instance states and their codes (the low byte of InstanceState.Code).
import type { InstanceStateName } from '../store/port.js';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const stateOf = (name: InstanceStateName) => ({ code: STATE_CODES[name], name });
