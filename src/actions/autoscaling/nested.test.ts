import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getNumber, unflatten } from './nested.js';

describe('unflatten', () => {
  it('rebuilds structures and member lists in index order', () => {
    const v = unflatten({
      'LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName': 'web',
      'LaunchTemplate.Overrides.member.10.InstanceType': 'c5.large',
      'LaunchTemplate.Overrides.member.2.InstanceType': 't3.small',
      'LaunchTemplate.Overrides.member.1.InstanceType': 't3.micro',
      'InstancesDistribution.OnDemandBaseCapacity': '1',
    });
    assert.deepEqual(v, {
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateName: 'web' },
        Overrides: [{ InstanceType: 't3.micro' }, { InstanceType: 't3.small' }, { InstanceType: 'c5.large' }],
      },
      InstancesDistribution: { OnDemandBaseCapacity: '1' },
    });
    assert.equal(getNumber(v, 'InstancesDistribution', 'OnDemandBaseCapacity'), 1);
    assert.equal(unflatten({}), undefined);
  });
});
