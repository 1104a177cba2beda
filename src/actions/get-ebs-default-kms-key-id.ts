// GetEbsDefaultKmsKeyId: the key encryption by default uses — the customer key set with
// ModifyEbsDefaultKmsKeyId (its key ARN), else the AWS managed key's alias `alias/aws/ebs`.
import { AWS_MANAGED_ALIAS } from '../compute/ebs-encryption.js';
import { checkDryRun, defineAction } from './action.js';
import { ebsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction('GetEbsDefaultKmsKeyId', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  const d = await ebsDefaults(ctx);
  return { kmsKeyId: d.kmsKeyId ?? AWS_MANAGED_ALIAS };
});
