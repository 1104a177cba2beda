// The instance attributes DescribeInstanceAttribute answers and ModifyInstanceAttribute changes,
// shaped as EC2 writes them: each one an element named after the attribute holding `<value>`.
import type { InstanceNetwork } from '../compute/network/instance-network.js';
import { groupSetOf } from './network/instance-items.js';
import { Ec2Error } from '../errors/ec2-error.js';
import type { ActionOutput } from './output.js';
import type { InstanceRecord, Scope, VolumeRecord } from '../store/port.js';
import { instanceItem } from './instance-views.js';

export const INSTANCE_ATTRIBUTES = [
  'instanceType',
  'kernel',
  'ramdisk',
  'userData',
  'disableApiTermination',
  'instanceInitiatedShutdownBehavior',
  'rootDeviceName',
  'blockDeviceMapping',
  'productCodes',
  'sourceDestCheck',
  'groupSet',
  'ebsOptimized',
  'sriovNetSupport',
  'enaSupport',
  'enclaveOptions',
  'disableApiStop',
] as const;
export type InstanceAttribute = (typeof INSTANCE_ATTRIBUTES)[number];

/** AWS checks the attribute name before looking the instance up. */
export function checkAttributeName(name: string): InstanceAttribute {
  if (!(INSTANCE_ATTRIBUTES as readonly string[]).includes(name)) {
    // observed (as moto and other emulators pin it): the value is quoted in parentheses
    throw new Ec2Error('InvalidParameterValue', `Value (${name}) for parameter attribute is invalid. Unknown attribute.`);
  }
  return name as InstanceAttribute;
}

/** The attribute's element(s), keyed by the attribute name as AWS writes it (`userData` is stored apart: the caller reads it). */
export function attributeValue(
  r: InstanceRecord,
  scope: Scope,
  /** Volumes attached to the instance (read only for blockDeviceMapping). */
  volumes: readonly VolumeRecord[],
  name: InstanceAttribute,
  userData: string | undefined,
  /** The instance's network (read only for groupSet). */
  net?: InstanceNetwork,
): ActionOutput {
  const value = (v: string | boolean) => ({ value: v });
  switch (name) {
    case 'instanceType':
      return { instanceType: value(r.instanceType) };
    case 'userData':
      return { userData: userData ? value(userData) : {} };
    case 'disableApiTermination':
      return { disableApiTermination: value(r.disableApiTermination ?? false) };
    case 'disableApiStop':
      return { disableApiStop: value(r.options?.disableApiStop ?? false) };
    case 'instanceInitiatedShutdownBehavior':
      return { instanceInitiatedShutdownBehavior: value(r.instanceInitiatedShutdownBehavior ?? 'stop') };
    case 'rootDeviceName':
      return { rootDeviceName: value(r.rootDeviceName) };
    case 'blockDeviceMapping':
      return { blockDeviceMapping: instanceItem(r, scope, volumes)['blockDeviceMapping'] };
    case 'productCodes':
      return { productCodes: [] };
    case 'groupSet':
      return { groupSet: groupSetOf(net) };
    case 'sourceDestCheck':
      return { sourceDestCheck: value(r.sourceDestCheck ?? true) };
    case 'ebsOptimized':
      return { ebsOptimized: value(r.options?.ebsOptimized ?? false) };
    case 'enaSupport':
      return { enaSupport: value(r.options?.enaSupport ?? true) };
    case 'sriovNetSupport':
      return { sriovNetSupport: r.options?.sriovNetSupport ? value(r.options.sriovNetSupport) : {} };
    case 'enclaveOptions':
      return { enclaveOptions: { enabled: r.options?.enclave ?? false } };
    case 'kernel':
    case 'ramdisk':
      return { [name]: {} };
  }
}
