// ReplaceIamInstanceProfileAssociation: another profile for the instance, under a new association id.
import { Ec2Error } from '../errors/ec2-error.js';
import { defineAction } from './action.js';
import { fields } from './input.js';
import { associationItem, findAssociation, setProfile } from './iam-profile-associations.js';
import { resolveInstanceProfile } from './launch-options.js';

export default defineAction(
  'ReplaceIamInstanceProfileAssociation',
  {
    iamInstanceProfile: fields.struct('IamInstanceProfile', { arn: fields.string('Arn'), name: fields.string('Name') }),
    associationId: fields.string('AssociationId', { required: true }),
  },
  async (ctx, input) => {
    const profile = resolveInstanceProfile(ctx.scope, input.iamInstanceProfile ?? {});
    if (!profile) throw new Ec2Error('MissingParameter', 'IamInstanceProfile');
    const instance = await findAssociation(ctx, input.associationId);
    const next = await setProfile(ctx, instance.instanceId, { ...profile, associationId: ctx.ids.next('iip-assoc') });
    return { iamInstanceProfileAssociation: associationItem(next, 'associating') };
  },
);
