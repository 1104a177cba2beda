// GetConsoleOutput: what the instance's boot posted to its console, base64 (src/compute/console-output.ts:
// on Linux its guest's cloud-init output log while it runs here, else the boot's lines, with the SSH
// host key blocks; EC2Launch's readiness line on Windows).
// Absent before the instance first boots. `Latest` is accepted for every type: ec2lite's console is
// always the latest (AWS serves it on Nitro types only; its refusal elsewhere is not recorded here).
import { consoleOutput } from '../compute/console-output.js';
import { templateInfo } from '../compute/images.js';
import { wholeSeconds } from '../domain/aws-time.js';
import { checkDryRun, defineAction } from './action.js';
import { DEFAULT_LOGIN_SETTINGS } from './context.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';

/** Leaves room in AWS's 64 KB for the host key blocks. */
const CONSOLE_LOG_BYTES = 60 * 1024;

export default defineAction(
  'GetConsoleOutput',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    latest: fields.boolean('Latest'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    const now = ctx.now();
    const platform = templateInfo(instance!.imageTemplate)?.platform === 'windows' ? 'windows' : 'linux';
    // the guest's own log while it runs here (a stopped instance, or one on another node: the boot's lines)
    const guestLog = platform === 'linux' && instance!.state !== 'pending' ? await ctx.runtime.consoleLog(input.instanceId, CONSOLE_LOG_BYTES) : undefined;
    const out = consoleOutput(instance!, platform, now, (ctx.login ?? DEFAULT_LOGIN_SETTINGS).windowsPasswordDelayMs, guestLog);
    return {
      instanceId: input.instanceId,
      timestamp: wholeSeconds(out?.timestamp ?? now),
      ...(out ? { output: Buffer.from(out.text, 'utf8').toString('base64') } : {}),
    };
  },
);
