// AssociateIamInstanceProfile: gives an instance without one an IAM instance profile; its metadata
// (iam/info) shows it at once.
import { Ec2Error } from '../errors/ec2-error.js';
import { defineAction } from './action.js';
import { fields } from './input.js';
import { associationItem, setProfile } from './iam-profile-associations.js';
import { findInstances } from './instance-views.js';
import { resolveInstanceProfile } from './launch-options.js';

export default defineAction(
  'AssociateIamInstanceProfile',
  {
    iamInstanceProfile: fields.struct('IamInstanceProfile', { arn: fields.string('Arn'), name: fields.string('Name') }),
    instanceId: fields.string('InstanceId', { required: true }),
  },
  async (ctx, input) => {
    const profile = resolveInstanceProfile(ctx.scope, input.iamInstanceProfile ?? {});
    if (!profile) throw new Ec2Error('MissingParameter', 'IamInstanceProfile');
    const [instance] = await findInstances(ctx, [input.instanceId]);
    if (instance!.state === 'terminated' || instance!.state === 'shutting-down') {
      throw new Ec2Error('IncorrectInstanceState', `The instance '${input.instanceId}' is not in a valid state for this operation.`);
    }
    // observed (Terraform users re-associating): "There is an existing association for instance i-…"
    if (instance!.options?.iamInstanceProfile) throw new Ec2Error('IncorrectState', `There is an existing association for instance ${input.instanceId}`);
    const next = await setProfile(ctx, input.instanceId, { ...profile, associationId: ctx.ids.next('iip-assoc') });
    return { iamInstanceProfileAssociation: associationItem(next, 'associating') };
  },
);
