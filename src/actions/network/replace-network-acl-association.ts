// ReplaceNetworkAclAssociation: moves a subnet (named by its current association) to another ACL of
// its VPC under a new association id. A subnet always has exactly one ACL.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';
import { checkAclId } from './acl-ids.js';

export default defineAction(
  'ReplaceNetworkAclAssociation',
  { associationId: fields.string('AssociationId', { required: true }), networkAclId: fields.string('NetworkAclId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkAclId(input.networkAclId);
    checkDryRun(input.dryRun);
    await ready(ctx);
    return ctx.store.network.change(ctx.scope, ['network-acl'], (view) => {
      const target = mustFind(view, 'network-acl', input.networkAclId);
      const current = ofKind(view, 'network-acl').find((a) => a.data.associations.some((x) => x.id === input.associationId));
      if (!current) throw new Ec2Error('InvalidAssociationID.NotFound', `The association ID '${input.associationId}' does not exist`);
      if (current.vpcId !== target.vpcId)
        throw new Ec2Error('InvalidParameterValue', `Network ACL ${target.id} and the subnet of association ${input.associationId} belong to different VPCs.`);
      const subnetId = current.data.associations.find((x) => x.id === input.associationId)!.subnetId;
      const newAssociationId = ctx.ids.next('aclassoc');
      const without = { ...current, data: { ...current.data, associations: current.data.associations.filter((x) => x.id !== input.associationId) } };
      const base = current.id === target.id ? without : target;
      const withIt = { ...base, data: { ...base.data, associations: [...base.data.associations, { id: newAssociationId, subnetId }] } };
      return { changes: { put: current.id === target.id ? [withIt] : [without, withIt] }, result: { newAssociationId } };
    });
  },
);
