// GetPasswordData: a Windows instance's Administrator password, encrypted to its launch key pair
// (RSA PKCS#1 v1.5, base64). Empty until the instance has "booted" (the configured delay after
// launch, while running); then made once, stored encrypted only, and kept through stop/start. A
// Linux instance, or one launched without a key, always answers empty, as on AWS.
import { newEncryptedPassword } from '../compute/windows-password.js';
import { templateInfo } from '../compute/images.js';
import { checkDryRun, defineAction } from './action.js';
import { DEFAULT_LOGIN_SETTINGS } from './context.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';
import { wholeSeconds } from '../domain/aws-time.js';

export default defineAction(
  'GetPasswordData',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    const now = ctx.now();
    const delay = (ctx.login ?? DEFAULT_LOGIN_SETTINGS).windowsPasswordDelayMs;
    let password = instance!.passwordData;
    const booted = instance!.state === 'running' && now.getTime() - instance!.launchTime.getTime() >= delay;
    if (!password && booted && instance!.launchKey && templateInfo(instance!.imageTemplate)?.platform === 'windows') {
      const encrypted = newEncryptedPassword(instance!.launchKey.publicKey);
      // Whoever stores first wins: concurrent callers all see that one password.
      const stored = await ctx.store.instances.update(ctx.scope, input.instanceId, (r) =>
        r.passwordData ? r : { ...r, passwordData: { encrypted, timestamp: now.toISOString() } },
      );
      password = stored?.passwordData;
    }
    // Before the password exists AWS answers an empty passwordData stamped with the time of asking.
    return { instanceId: input.instanceId, timestamp: wholeSeconds(password ? password.timestamp : now), passwordData: password?.encrypted ?? '' };
  },
);
