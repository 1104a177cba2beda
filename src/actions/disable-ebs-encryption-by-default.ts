// DisableEbsEncryptionByDefault: new volumes are encrypted again only when asked; existing
// encrypted volumes stay encrypted.
import { checkDryRun, defineAction } from './action.js';
import { changeEbsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';

export default defineAction('DisableEbsEncryptionByDefault', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  const d = await changeEbsDefaults(ctx, (c) => ({ ...c, enabled: false }));
  return { ebsEncryptionByDefault: d.enabled };
});
