// ModifyImageAttribute: the caller's image's launch permissions (either form AWS takes:
// LaunchPermission.Add/Remove.N.{UserId,Group}, or Attribute=launchPermission with OperationType,
// UserId.N, UserGroup.N) and its description. Group `all` makes the image public.
import { Ec2Error } from '../errors/ec2-error.js';
import type { LaunchPermission } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { findOwnImage } from './image-views.js';
import { fields } from './input.js';

const permissionMembers = {
  userId: fields.string('UserId'),
  group: fields.string('Group'),
  organizationArn: fields.string('OrganizationArn'),
  organizationalUnitArn: fields.string('OrganizationalUnitArn'),
};

function permission(p: { userId?: string; group?: string }): LaunchPermission {
  if (p.userId !== undefined) {
    // moto's wording (spec A.3)
    if (!/^\d{12}$/.test(p.userId)) throw new Ec2Error('InvalidAMIAttributeItemValue', p.userId, 'userId');
    return { userId: p.userId };
  }
  if (p.group !== 'all') throw new Ec2Error('InvalidAMIAttributeItemValue', p.group ?? '', 'group');
  return { group: 'all' };
}

const same = (a: LaunchPermission, b: LaunchPermission) => a.userId === b.userId && a.group === b.group;

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
    const add = input.add.map(permission);
    const remove = input.remove.map(permission);
    if (input.userIds.length || input.userGroups.length) {
      if (input.attribute !== undefined && input.attribute !== 'launchPermission') {
        throw new Ec2Error('InvalidParameterCombination', 'The parameters UserId and UserGroup may only be used with the launchPermission attribute.');
      }
      if (!input.operationType) throw new Ec2Error('MissingParameter', 'OperationType');
      const list = [...input.userIds.map((userId) => permission({ userId })), ...input.userGroups.map((group) => permission({ group }))];
      (input.operationType === 'add' ? add : remove).push(...list);
    }
    const description = input.description?.value ?? (input.attribute === 'description' ? input.value : undefined);
    if (!add.length && !remove.length && description === undefined) {
      throw new Ec2Error('MissingParameter', 'LaunchPermission');
    }
    checkDryRun(input.dryRun);
    const image = await findOwnImage(ctx, input.imageId);
    await ctx.store.images.update(ctx.scope, image.imageId, (r) => {
      let perms = r.launchPermissions.filter((p) => !remove.some((x) => same(p, x)));
      for (const p of add) if (!perms.some((x) => same(p, x))) perms = [...perms, p];
      return { ...r, launchPermissions: perms, description: description ?? r.description };
    });
    return { return: true };
  },
);
