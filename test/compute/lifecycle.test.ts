// The lifecycle table (src/compute/lifecycle.ts): every action from every state, the state it
// moves to, what the guest does, or AWS's error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outcome, type LifecycleAction } from '../../src/compute/lifecycle.js';
import { Ec2Error } from '../../src/errors/ec2-error.js';
import type { InstanceRecord, InstanceStateName } from '../../src/store/port.js';

const base = { instanceId: 'i-0123456789abcdef0', rootDeviceName: '/dev/xvda', rootDeviceType: 'ebs', sshPort: 22 } as InstanceRecord;
const at = (state: InstanceStateName, over: Partial<InstanceRecord> = {}): InstanceRecord => ({ ...base, state, ...over });

function result(action: LifecycleAction, r: InstanceRecord, rootAttached = true): string {
  try {
    const o = outcome(action, r, { rootAttached });
    return `${o.to}/${o.guest}`;
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return e.code;
  }
}

const STATES: InstanceStateName[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];

describe('instance lifecycle rules', () => {
  it('start, stop, reboot, terminate from each state of an EBS-backed instance', () => {
    const table = Object.fromEntries(
      (['start', 'stop', 'reboot', 'terminate'] as const).map((a) => [a, STATES.map((s) => result(a, at(s)))]),
    );
    assert.deepEqual(table, {
      start: ['pending/none', 'running/none', 'IncorrectInstanceState', 'pending/boot', 'IncorrectInstanceState', 'IncorrectInstanceState'],
      stop: ['stopping/stop', 'stopping/stop', 'stopping/none', 'stopped/none', 'IncorrectInstanceState', 'IncorrectInstanceState'],
      reboot: ['pending/none', 'running/restart', 'stopping/none', 'stopped/none', 'IncorrectInstanceState', 'IncorrectInstanceState'],
      terminate: ['shutting-down/terminate', 'shutting-down/terminate', 'shutting-down/terminate', 'shutting-down/terminate', 'shutting-down/none', 'terminated/none'],
    });
  });

  it('refuses to start without a root volume, to stop a first launch or an instance-store instance', () => {
    assert.equal(result('start', at('stopped'), false), 'InvalidParameterValue');
    assert.equal(result('stop', at('pending', { sshPort: undefined })), 'IncorrectInstanceState');
    assert.equal(result('stop', at('running', { rootDeviceType: 'instance-store' })), 'UnsupportedOperation');
    assert.equal(result('terminate', at('running', { rootDeviceType: 'instance-store' })), 'shutting-down/terminate');
  });
});
