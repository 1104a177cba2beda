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
import { modifyInstanceGroups, setPrimarySourceDestCheck } from './network/instance-groups.js';
import { modifyBlockDeviceMappings } from './modify-block-device-mappings.js';
import type { ActionContext } from './context.js';

const valueOf = (wire: string) => fields.struct(wire, { value: fields.string('Value') });
const MODIFIABLE = ['userData', 'instanceType', 'disableApiTermination', 'instanceInitiatedShutdownBehavior', 'sourceDestCheck', 'disableApiStop', 'ebsOptimized', 'enaSupport', 'sriovNetSupport'] as const;
type Modifiable = (typeof MODIFIABLE)[number];
const BOOT_IMAGES = ['kernel', 'ramdisk'] as const;
const STOPPED_ONLY: readonly Modifiable[] = ['userData', 'instanceType', 'ebsOptimized', 'enaSupport', 'sriovNetSupport'];

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
    groupIds: fields.list('GroupId'),
    disableApiStop: valueOf('DisableApiStop'),
    ebsOptimized: valueOf('EbsOptimized'),
    enaSupport: valueOf('EnaSupport'),
    sriovNetSupport: valueOf('SriovNetSupport'),
    kernel: valueOf('Kernel'),
    ramdisk: valueOf('Ramdisk'),
    blockDeviceMappings: fields.structList('BlockDeviceMapping', {
      deviceName: fields.string('DeviceName'),
      volumeId: fields.string('Ebs.VolumeId'),
      deleteOnTermination: fields.boolean('Ebs.DeleteOnTermination'),
      virtualName: fields.string('VirtualName'),
      noDevice: fields.string('NoDevice'),
    }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const changes: [InstanceAttribute, string][] = [];
    if (input.attribute !== undefined) changes.push([checkAttributeName(input.attribute), input.value ?? '']);
    for (const name of [...MODIFIABLE, ...BOOT_IMAGES]) {
      const v = input[name]?.value;
      if (v !== undefined) changes.push([name, v]);
    }
    if (input.groupIds.length) {
      if (changes.length || input.blockDeviceMappings.length) throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time.');
      return modifyInstanceGroups(ctx, input.instanceId, input.groupIds, input.dryRun);
    }
    // unconfirmed wordings: AWS documents "only one attribute at a time" without quoting its error
    if (input.blockDeviceMappings.length) {
      if (changes.length) throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time.');
      return modifyBlockDeviceMappings(ctx, input.instanceId, input.blockDeviceMappings, input.dryRun);
    }
    if (changes.length === 0) throw new Ec2Error('InvalidParameterCombination', 'No attributes specified.');
    if (changes.length > 1) throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time.');
    const [attribute, raw] = changes[0]!;
    if ((BOOT_IMAGES as readonly string[]).includes(attribute)) return refuseBootImage(ctx, input.instanceId, attribute, input.dryRun);
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
      const apply = (r: InstanceRecord): InstanceRecord =>
        'options' in change ? { ...r, options: { ...r.options, ...change.options } } : { ...r, ...(change as Partial<InstanceRecord>) };
      const next = await ctx.store.instances.update(ctx.scope, input.instanceId, (r) => (stoppedOnly && r.state !== 'stopped' ? r : apply(r)));
      if (next && stoppedOnly && next.state !== 'stopped') throw new Ec2Error('IncorrectInstanceState', stateNow);
      if ('sourceDestCheck' in change && change.sourceDestCheck !== undefined) await setPrimarySourceDestCheck(ctx, input.instanceId, change.sourceDestCheck);
    }
    return { return: true };
  },
);

/**
 * Kernel and RAM disk: attributes AWS changes only while the instance is stopped (EC2 user guide,
 * "Modify a stopped instance": kernel, RAM disk, instance type, user data), and only paravirtual
 * (PV) instances boot an AKI/ARI. Every ec2lite image is HVM, as every current AWS image is, so a
 * stopped instance refuses the change rather than storing a kernel it would never boot
 * (wording unconfirmed: no public capture of AWS's answer for an HVM instance was found).
 */
async function refuseBootImage(ctx: ActionContext, instanceId: string, attribute: string, dryRun: boolean | undefined): Promise<never> {
  checkInstanceIds([instanceId]);
  checkDryRun(dryRun);
  const [current] = await findInstances(ctx, [instanceId]);
  if (current!.state === 'terminated') throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be modified.`);
  if (current!.state !== 'stopped') throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in the 'stopped' state.`);
  const what = attribute === 'kernel' ? 'kernel' : 'RAM disk';
  throw new Ec2Error('UnsupportedOperation', `The instance '${instanceId}' uses HVM virtualization; a ${what} image applies only to paravirtual instances.`);
}

type Change = { userData: string | undefined } | Partial<InstanceRecord> | { options: Partial<NonNullable<InstanceRecord['options']>> };

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
    case 'disableApiStop':
      return { options: { disableApiStop: bool() } };
    case 'ebsOptimized':
      return { options: { ebsOptimized: bool() } };
    case 'enaSupport':
      return { options: { enaSupport: bool() } };
    case 'sriovNetSupport':
      // the only value EC2 takes ("there is no way to disable enhanced networking" once enabled)
      if (raw !== 'simple') throw new Ec2Error('InvalidParameterValue', `Value (${raw}) for parameter sriovNetSupport is invalid. Valid values are 'simple'.`);
      return { options: { sriovNetSupport: raw } };
    case 'instanceInitiatedShutdownBehavior':
      if (raw !== 'stop' && raw !== 'terminate') {
        throw new Ec2Error('InvalidParameterValue', `Value (${raw}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are 'stop' and 'terminate'.`);
      }
      return { instanceInitiatedShutdownBehavior: raw };
  }
}
