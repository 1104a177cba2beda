// Launch permissions (images) and createVolumePermission (snapshots) are changed the same way:
// Add/Remove lists of {UserId, Group} items, or OperationType with UserId.N / UserGroup.N; an
// account is 12 digits, the only group is `all`; adding keeps one entry per grantee.
import { Ec2Error } from '../errors/ec2-error.js';
import type { LaunchPermission } from '../store/port.js';

/** One requested grantee, checked. The wording is moto's AMI attribute wording (spec A.3); the snapshot's is unconfirmed. */
export function permission(p: { userId?: string; group?: string }): LaunchPermission {
  if (p.userId !== undefined) {
    if (!/^\d{12}$/.test(p.userId)) throw new Ec2Error('InvalidAMIAttributeItemValue', p.userId, 'userId');
    return { userId: p.userId };
  }
  if (p.group !== 'all') throw new Ec2Error('InvalidAMIAttributeItemValue', p.group ?? '', 'group');
  return { group: 'all' };
}

export interface PermissionRequest {
  add: readonly { userId?: string; group?: string }[];
  remove: readonly { userId?: string; group?: string }[];
  operationType?: 'add' | 'remove' | undefined;
  userIds: readonly string[];
  userGroups: readonly string[];
}

/**
 * The grantees to add and remove, from both request forms. `checkListForm` runs (before the
 * OperationType check) when UserId.N / UserGroup.N are given, for an action's own refusals.
 */
export function permissionChanges(input: PermissionRequest, checkListForm?: () => void): { add: LaunchPermission[]; remove: LaunchPermission[] } {
  const add = input.add.map(permission);
  const remove = input.remove.map(permission);
  if (input.userIds.length || input.userGroups.length) {
    checkListForm?.();
    if (!input.operationType) throw new Ec2Error('MissingParameter', 'OperationType');
    const list = [...input.userIds.map((userId) => permission({ userId })), ...input.userGroups.map((group) => permission({ group }))];
    (input.operationType === 'add' ? add : remove).push(...list);
  }
  return { add, remove };
}

const same = (a: LaunchPermission, b: LaunchPermission) => a.userId === b.userId && a.group === b.group;

/** `current` without the removed grantees, then with each added one not already there. */
export function applyPermissionChanges(current: readonly LaunchPermission[], add: readonly LaunchPermission[], remove: readonly LaunchPermission[]): LaunchPermission[] {
  let perms = current.filter((p) => !remove.some((x) => same(p, x)));
  for (const p of add) if (!perms.some((x) => same(p, x))) perms = [...perms, p];
  return perms;
}
