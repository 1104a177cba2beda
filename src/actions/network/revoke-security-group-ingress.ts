// RevokeSecurityGroupIngress: removes ingress rules named by their contents or by rule id.
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { flatMembers } from './permissions.js';
import { revoke } from './security-group-rules.js';

export default defineAction(
  'RevokeSecurityGroupIngress',
  {
    groupId: fields.string('GroupId'),
    groupName: fields.string('GroupName'),
    ...flatMembers,
    securityGroupRuleIds: fields.list('SecurityGroupRuleId'),
    dryRun: fields.boolean('DryRun'),
    ipPermissions: fields.rest('IpPermissions'),
  },
  (ctx, input) => revoke(ctx, input, false, input.dryRun),
);
