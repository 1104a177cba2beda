// ModifyImageAttribute: the caller's image's launch permissions (either form AWS takes:
// LaunchPermission.Add/Remove.N.{UserId,Group}, or Attribute=launchPermission with OperationType,
// UserId.N, UserGroup.N) and its description. Group `all` makes the image public.
import { Ec2Error } from '../errors/ec2-error.js';
import { awsManagedKeyArn } from '../compute/ebs-encryption.js';
import { checkDryRun, defineAction } from './action.js';
import { findOwnImage } from './image-views.js';
import { fields } from './input.js';
import { applyPermissionChanges, permissionChanges } from './permission-changes.js';

const permissionMembers = {
  userId: fields.string('UserId'),
  group: fields.string('Group'),
  organizationArn: fields.string('OrganizationArn'),
  organizationalUnitArn: fields.string('OrganizationalUnitArn'),
};

export default defineAction(
  'ModifyImageAttribute',
  {
    imageId: fields.string('ImageId', { required: true }),
    attribute: fields.string('Attribute'),
    operationType: fields.enum('OperationType', ['add', 'remove'] as const),
    userIds: fields.list('UserId'),
    userGroups: fields.list('UserGroup'),
    add: fields.structList('LaunchPermission.Add', permissionMembers),
    remove: fields.structList('LaunchPermission.Remove', permissionMembers),
    description: fields.struct('Description', { value: fields.string('Value') }),
    value: fields.string('Value'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const { add, remove } = permissionChanges(input, () => {
      if (input.attribute !== undefined && input.attribute !== 'launchPermission') {
        throw new Ec2Error('InvalidParameterCombination', 'The parameters UserId and UserGroup may only be used with the launchPermission attribute.');
      }
    });
    const description = input.description?.value ?? (input.attribute === 'description' ? input.value : undefined);
    if (!add.length && !remove.length && description === undefined) {
      throw new Ec2Error('MissingParameter', 'LaunchPermission');
    }
    checkDryRun(input.dryRun);
    const image = await findOwnImage(ctx, input.imageId);
    if (add.length && image.blockDeviceMappings.some((m) => m.encrypted && m.kmsKeyId === awsManagedKeyArn(ctx.scope))) {
      // observed: DataDog/stratus-red-team#109, hashicorp/packer#7410
      throw new Ec2Error('InvalidParameter', "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.");
    }
    await ctx.store.images.update(ctx.scope, image.imageId, (r) => ({
      ...r,
      launchPermissions: applyPermissionChanges(r.launchPermissions, add, remove),
      description: description ?? r.description,
    }));
    return { return: true };
  },
);
