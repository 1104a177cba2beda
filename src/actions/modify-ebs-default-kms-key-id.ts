// ModifyEbsDefaultKmsKeyId: a customer managed key for encryption by default (any of the four id
// forms), answered and kept as its key ARN (compute/ebs-encryption.ts: resolvedKeyArn).
import { Ec2Error } from '../errors/ec2-error.js';
import { isKmsKeyIdForm, resolvedKeyArn } from '../compute/ebs-encryption.js';
import { checkDryRun, defineAction } from './action.js';
import { changeEbsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction(
  'ModifyEbsDefaultKmsKeyId',
  { kmsKeyId: fields.string('KmsKeyId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    // The default key is checked at once (unlike a volume's): a key of no form cannot be set.
    // Wording unconfirmed.
    if (!isKmsKeyIdForm(input.kmsKeyId)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.kmsKeyId}' for KmsKeyId.`);
    checkDryRun(input.dryRun);
    const key = resolvedKeyArn(ctx.scope, input.kmsKeyId);
    const d = await changeEbsDefaults(ctx, (c) => ({ ...c, kmsKeyId: key }));
    return { kmsKeyId: d.kmsKeyId };
  },
);
