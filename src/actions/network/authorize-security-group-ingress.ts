// AuthorizeSecurityGroupIngress: adds ingress rules (IpPermissions, or the legacy flat members).
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { flatMembers } from './permissions.js';
import { authorize } from './security-group-rules.js';

export default defineAction(
  'AuthorizeSecurityGroupIngress',
  {
    groupId: fields.string('GroupId'),
    groupName: fields.string('GroupName'),
    ...flatMembers,
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
    ipPermissions: fields.rest('IpPermissions'),
  },
  (ctx, input) => authorize(ctx, input, false, input.dryRun),
);
