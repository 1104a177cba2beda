// ModifySnapshotAttribute: shares the caller's snapshot for CreateVolume (createVolumePermission),
// in either form AWS takes: CreateVolumePermission.Add/Remove.N.{UserId,Group}, or OperationType
// with UserId.N / UserGroup.N. Group `all` makes it public; encrypted snapshots cannot be public,
// and those under the AWS managed key cannot be shared at all.
import { Ec2Error } from '../errors/ec2-error.js';
import { awsManagedKeyArn } from '../compute/ebs-encryption.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { findSnapshots } from './snapshot-views.js';
import { applyPermissionChanges, permissionChanges } from './permission-changes.js';

const permissionMembers = { userId: fields.string('UserId'), group: fields.string('Group') };

export default defineAction(
  'ModifySnapshotAttribute',
  {
    snapshotId: fields.string('SnapshotId', { required: true }),
    attribute: fields.enum('Attribute', ['productCodes', 'createVolumePermission'] as const),
    operationType: fields.enum('OperationType', ['add', 'remove'] as const),
    userIds: fields.list('UserId'),
    userGroups: fields.list('UserGroup'),
    add: fields.structList('CreateVolumePermission.Add', permissionMembers),
    remove: fields.structList('CreateVolumePermission.Remove', permissionMembers),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const { add, remove } = permissionChanges(input);
    if (!add.length && !remove.length) throw new Ec2Error('MissingParameter', 'CreateVolumePermission');
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    if (add.length && snap!.encrypted) {
      // observed: packer#7499 and #8271 ("OperationNotPermitted: Encrypted snapshots with EBS default key cannot be shared")
      if (snap!.kmsKeyId === awsManagedKeyArn(ctx.scope)) throw new Ec2Error('OperationNotPermitted', 'Encrypted snapshots with EBS default key cannot be shared');
      // AWS: "You can't make your encrypted snapshots available publicly" (EBS user guide); wording unconfirmed
      if (add.some((p) => p.group === 'all')) throw new Ec2Error('OperationNotPermitted', 'Encrypted snapshots cannot be made public');
    }
    await ctx.store.snapshots.update(ctx.scope, snap!.snapshotId, (r) => ({
      ...r,
      createVolumePermissions: applyPermissionChanges(r.createVolumePermissions ?? [], add, remove),
    }));
    return { return: true };
  },
);
