// ModifyInstanceCreditSpecification: `standard` or `unlimited` per burstable instance; each one
// succeeds or fails on its own, as EC2 reports them.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { isInstanceId } from './instance-views.js';
import { defaultCpuCredits } from './launch-options.js';

export default defineAction(
  'ModifyInstanceCreditSpecification',
  {
    clientToken: fields.string('ClientToken'),
    specifications: fields.structList('InstanceCreditSpecification', { instanceId: fields.string('InstanceId'), cpuCredits: fields.string('CpuCredits') }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (!input.specifications.length) throw new Ec2Error('MissingParameter', 'InstanceCreditSpecification');
    checkDryRun(input.dryRun);
    const ok: { instanceId: string }[] = [];
    const failed: { instanceId: string; error: { code: string; message: string } }[] = [];
    for (const s of input.specifications) {
      const id = s.instanceId ?? '';
      const fail = (code: string, message: string) => failed.push({ instanceId: id, error: { code, message } });
      if (!isInstanceId(id)) { fail('InvalidInstanceID.Malformed', `Invalid id: "${id}"`); continue; }
      if (s.cpuCredits !== 'standard' && s.cpuCredits !== 'unlimited') {
        fail('InvalidParameterValue', `Value (${s.cpuCredits ?? ''}) for parameter cpuCredits is invalid. Valid values are 'standard' and 'unlimited'.`);
        continue;
      }
      const [r] = await ctx.store.instances.list(ctx.scope, [id]);
      if (!r || r.state === 'terminated') { fail('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`); continue; }
      // unconfirmed wording: only burstable types have CPU credits
      if (!defaultCpuCredits(r.instanceType)) { fail('InvalidInstanceType', `The instance type ${r.instanceType} does not support CPU credits.`); continue; }
      await ctx.store.instances.update(ctx.scope, id, (x) => ({ ...x, options: { ...x.options, creditSpecification: s.cpuCredits } }));
      ok.push({ instanceId: id });
    }
    return { successfulInstanceCreditSpecificationSet: ok, unsuccessfulInstanceCreditSpecificationSet: failed };
  },
);
