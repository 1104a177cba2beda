// CreateSecurityGroup: a group in a VPC (the default VPC when none is named) with AWS's one
// outbound rule; names are unique per VPC (a unique index), 2,500 groups per Region.
import { Ec2Error } from '../../errors/ec2-error.js';
import { DEFAULT_GROUP_NAME, securityGroupObjects } from '../../compute/network/defaults.js';
import { groupUnique, ofKind } from '../../compute/network/model.js';
import { NetUniqueError } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, ready, tagChange } from './common.js';
import { GROUPS_PER_REGION } from './security-group-rules.js';

// The EC2 API reference (CreateSecurityGroup): a–z, A–Z, 0–9, spaces, and ._-:/()#,@[]+=&;{}!$*
const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

export default defineAction(
  'CreateSecurityGroup',
  {
    groupName: fields.string('GroupName', { required: true }),
    description: fields.string('GroupDescription', { required: true }),
    vpcId: fields.string('VpcId'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const name = input.groupName;
    if (input.vpcId !== undefined) checkIds('vpc', [input.vpcId]);
    if (name.length > 255) throw new Ec2Error('InvalidParameterValue', `Invalid value '${name}' for groupName. Length exceeds maximum of 255.`);
    if (input.description.length > 255) throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.description}' for GroupDescription. Length exceeds maximum of 255.`);
    if (!ALLOWED.test(input.description)) throw new Ec2Error('InvalidParameterValue', `Value (${input.description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`);
    // The API reference: names cannot start with sg-
    if (/^sg-/i.test(name)) throw new Ec2Error('InvalidParameterValue', `Group names may not be in the format sg-*.`);
    if (name === DEFAULT_GROUP_NAME) throw new Ec2Error('InvalidGroup.Reserved');
    const groupId = ctx.ids.next('sg');
    const tags = tagChange(input.tagSpecifications, 'security-group', groupId);
    checkDryRun(input.dryRun);
    await ready(ctx);
    let vpcId = input.vpcId;
    try {
      await ctx.store.network.change(ctx.scope, ['vpc', 'security-group'], (view) => {
        const vpcs = ofKind(view, 'vpc');
        const vpc = vpcId === undefined ? vpcs.find((v) => v.data.isDefault) : vpcs.find((v) => v.id === vpcId);
        if (!vpc) throw vpcId === undefined ? new Ec2Error('VPCIdNotSpecified') : new Ec2Error('InvalidVpcID.NotFound', vpcId);
        vpcId = vpc.id;
        const groups = ofKind(view, 'security-group');
        if (groups.some((g) => g.unique === groupUnique(vpc.id, name))) throw new Ec2Error('InvalidGroup.Duplicate', name, vpc.id);
        if (groups.length >= GROUPS_PER_REGION) throw new Ec2Error('SecurityGroupLimitExceeded');
        return { changes: { put: securityGroupObjects(ctx.ids, vpc.id, groupId, name, input.description, (vpc.data.ipv6Cidrs?.length ?? 0) > 0), tag: tags }, result: undefined };
      });
    } catch (e) {
      if (e instanceof NetUniqueError) throw new Ec2Error('InvalidGroup.Duplicate', name, vpcId ?? '');
      throw e;
    }
    return {
      return: true,
      groupId,
      tagSet: tags[0]?.tags.map((t) => ({ key: t.key, value: t.value })),
      securityGroupArn: `arn:aws:ec2:${ctx.scope.region}:${ctx.scope.accountId}:security-group/${groupId}`,
    };
  },
);
