// DisassociateIamInstanceProfile: the instance loses its IAM instance profile (iam/info goes away).
import { defineAction } from './action.js';
import { fields } from './input.js';
import { associationItem, findAssociation, setProfile } from './iam-profile-associations.js';

export default defineAction(
  'DisassociateIamInstanceProfile',
  { associationId: fields.string('AssociationId', { required: true }) },
  async (ctx, input) => {
    const instance = await findAssociation(ctx, input.associationId);
    const item = associationItem(instance, 'disassociating');
    await setProfile(ctx, instance.instanceId, undefined);
    return { iamInstanceProfileAssociation: item };
  },
);
