import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activityDetails, causes, causeTime, joinCauses, launchFailureMessage } from './autoscaling.js';

describe('Auto Scaling activity texts', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');

  it('Cause times are whole seconds with Z; sentences join with two spaces', () => {
    assert.equal(causeTime(at), '2026-01-02T03:04:05Z');
    assert.equal(
      joinCauses(causes.created(at, 2), undefined, causes.started(at, 0, 2)),
      'At 2026-01-02T03:04:05Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.  ' +
        'At 2026-01-02T03:04:05Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2.',
    );
  });

  it('a failed launch keeps EC2 key text and drops the brackets EC2 puts around an image id', () => {
    assert.equal(
      launchFailureMessage('InvalidKeyPair.NotFound', "The key pair 'fleet' does not exist"),
      "The key pair 'fleet' does not exist. Launching EC2 instance failed.",
    );
    assert.equal(
      launchFailureMessage('InvalidAMIID.NotFound', "The image id '[ami-4edb0327]' does not exist"),
      "The image id 'ami-4edb0327' does not exist. Launching EC2 instance failed.",
    );
    assert.equal(launchFailureMessage('X', 'Something went wrong.'), 'Something went wrong. Launching EC2 instance failed.');
    // observed as is (an AMI of another account): "Not authorized for images: [ami-69ae251e]. Launching EC2 instance failed."
    assert.equal(
      launchFailureMessage('AuthFailure', 'Not authorized for images: [ami-69ae251e]'),
      'Not authorized for images: [ami-69ae251e]. Launching EC2 instance failed.',
    );
  });

  it('Details name the subnet first when there is one', () => {
    assert.equal(activityDetails('us-east-1a', 'subnet-1'), '{"Subnet ID":"subnet-1","Availability Zone":"us-east-1a"}');
    assert.equal(activityDetails('us-east-1a'), '{"Availability Zone":"us-east-1a"}');
    assert.equal(activityDetails(undefined), '{}');
  });
});
