// ResetEbsDefaultKmsKeyId: encryption by default goes back to the AWS managed key; the answer is
// that key's ARN (the AWS CLI's example), not its alias.
import { awsManagedKeyArn } from '../compute/ebs-encryption.js';
import { checkDryRun, defineAction } from './action.js';
import { changeEbsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction('ResetEbsDefaultKmsKeyId', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await changeEbsDefaults(ctx, ({ kmsKeyId: _dropped, ...rest }) => rest);
  return { kmsKeyId: awsManagedKeyArn(ctx.scope) };
});
