// ModifyInstanceAttribute: one attribute per call, either as `Attribute`+`Value` or as its own
// `<Name>.Value` member. userData and instanceType change only while the instance is stopped
// (the new user data is served by IMDS at the next start; cloud-init does not run it again).
import { Ec2Error } from '../errors/ec2-error.js';
import { decodeUserData } from '../domain/user-data.js';
import type { InstanceRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkAttributeName, type InstanceAttribute } from './instance-attributes.js';
import { checkInstanceIds, findInstances } from './instance-views.js';

const valueOf = (wire: string) => fields.struct(wire, { value: fields.string('Value') });
const MODIFIABLE = ['userData', 'instanceType', 'disableApiTermination', 'instanceInitiatedShutdownBehavior', 'sourceDestCheck'] as const;
type Modifiable = (typeof MODIFIABLE)[number];
const STOPPED_ONLY: readonly Modifiable[] = ['userData', 'instanceType'];

export default defineAction(
  'ModifyInstanceAttribute',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    attribute: fields.string('Attribute'),
    value: fields.string('Value'),
    userData: valueOf('UserData'),
    instanceType: valueOf('InstanceType'),
    disableApiTermination: valueOf('DisableApiTermination'),
    instanceInitiatedShutdownBehavior: valueOf('InstanceInitiatedShutdownBehavior'),
    sourceDestCheck: valueOf('SourceDestCheck'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const changes: [InstanceAttribute, string][] = [];
    if (input.attribute !== undefined) changes.push([checkAttributeName(input.attribute), input.value ?? '']);
    for (const name of MODIFIABLE) {
      const v = input[name]?.value;
      if (v !== undefined) changes.push([name, v]);
    }
    // unconfirmed wordings: AWS documents "only one attribute at a time" without quoting its error
    if (changes.length === 0) throw new Ec2Error('InvalidParameterCombination', 'No attributes specified.');
    if (changes.length > 1) throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time.');
    const [attribute, raw] = changes[0]!;
    if (!(MODIFIABLE as readonly string[]).includes(attribute)) {
      throw new Ec2Error('UnsupportedOperation', `ec2lite does not modify the '${attribute}' attribute.`);
    }
    const change = parse(attribute as Modifiable, raw);
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const [current] = await findInstances(ctx, [input.instanceId]);
    const stoppedOnly = STOPPED_ONLY.includes(attribute as Modifiable);
    // observed: kubernetes-sigs/cluster-api-provider-aws#1387 and CLI captures
    const stateNow = `The instance '${input.instanceId}' is not in the 'stopped' state.`;
    if (stoppedOnly && current!.state !== 'stopped') throw new Ec2Error('IncorrectInstanceState', stateNow);
    if (current!.state === 'terminated') {
      throw new Ec2Error('IncorrectInstanceState', `The instance '${input.instanceId}' is not in a state from which it can be modified.`);
    }
    if ('userData' in change) {
      // one conditional write: a start between our read and here leaves the data as it was
      if (!(await ctx.store.instances.setUserData(ctx.scope, input.instanceId, change.userData, 'stopped'))) {
        throw new Ec2Error('IncorrectInstanceState', stateNow);
      }
    } else {
      const next = await ctx.store.instances.update(ctx.scope, input.instanceId, (r) => (stoppedOnly && r.state !== 'stopped' ? r : { ...r, ...change }));
      if (next && stoppedOnly && next.state !== 'stopped') throw new Ec2Error('IncorrectInstanceState', stateNow);
    }
    return { return: true };
  },
);

type Change = { userData: string | undefined } | Partial<InstanceRecord>;

function parse(attribute: Modifiable, raw: string): Change {
  const bool = (): boolean => {
    const v = raw.toLowerCase();
    if (v !== 'true' && v !== 'false') throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${attribute}. Expected a boolean value.`);
    return v === 'true';
  };
  switch (attribute) {
    case 'userData':
      return { userData: raw === '' ? undefined : decodeUserData(raw).toString('base64') || undefined } as Change;
    case 'instanceType':
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(raw)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for InstanceType.`);
      return { instanceType: raw };
    case 'disableApiTermination':
      return { disableApiTermination: bool() };
    case 'sourceDestCheck':
      return { sourceDestCheck: bool() };
    case 'instanceInitiatedShutdownBehavior':
      if (raw !== 'stop' && raw !== 'terminate') {
        throw new Ec2Error('InvalidParameterValue', `Value (${raw}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are 'stop' and 'terminate'.`);
      }
      return { instanceInitiatedShutdownBehavior: raw };
  }
}
