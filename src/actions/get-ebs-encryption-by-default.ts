// GetEbsEncryptionByDefault: whether new volumes of the account in this Region are always encrypted.
import { checkDryRun, defineAction } from './action.js';
import { ebsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction('GetEbsEncryptionByDefault', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  const d = await ebsDefaults(ctx);
  // sseType: EBS's only server-side encryption is KMS-based (`sse-ebs`); `none` while off.
  return { ebsEncryptionByDefault: d.enabled, sseType: d.enabled ? 'sse-ebs' : 'none' };
});
