// EnableEbsEncryptionByDefault: every volume created afterwards in this Region is encrypted
// (CreateVolume, launches, snapshot copies), with the default KMS key unless one is named.
import { checkDryRun, defineAction } from './action.js';
import { changeEbsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction('EnableEbsEncryptionByDefault', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  const d = await changeEbsDefaults(ctx, (c) => ({ ...c, enabled: true }));
  return { ebsEncryptionByDefault: d.enabled };
});
