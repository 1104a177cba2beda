// Launch template data as its flat wire parameters (`BlockDeviceMapping.1.Ebs.VolumeSize` …,
// relative to `LaunchTemplateData.`): checked against every member the EC2 model defines
// (launch-template-members.ts), written back as the response's elements, and renamed into
// RunInstances' parameters where a launch applies them.
import { Ec2Error } from '../../errors/ec2-error.js';
import { namedMembers, type ActionOutput, type OutputValue } from '../output.js';
import { LAUNCH_TEMPLATE_MEMBERS, type MemberSchema } from './launch-template-members.js';

type Params = Record<string, string>;

const byWire = (members: Record<string, MemberSchema>) => new Map(Object.values(members).map((m) => [m.wire, m]));
const TOP = byWire(LAUNCH_TEMPLATE_MEMBERS);

function checkScalar(kind: string, values: string[] | undefined, raw: string, where: string): string {
  if (kind === 'boolean') {
    const v = raw.toLowerCase();
    if (v !== 'true' && v !== 'false') throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${where}. Expected a boolean value.`);
    return v;
  }
  if (kind === 'integer' && !/^-?[0-9]{1,15}$/.test(raw.trim())) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${where}. Expected an integer value.`);
  }
  if (kind === 'number' && !Number.isFinite(Number(raw))) throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${where}. Expected a number.`);
  if (values && !values.includes(raw)) {
    // observed (packer-plugin-amazon#184): EC2's smithy-style enum message
    const name = where.split('.').pop()!;
    throw new Ec2Error(
      'InvalidParameterValue',
      `1 validation error detected: Value '${raw}' at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return kind === 'integer' ? raw.trim() : raw;
}

/** The schema path of one flat key, or an UnknownParameter error naming it as sent. */
function resolve(key: string, prefix: string): { kind: string; enum?: string[] } {
  const parts = key.split('.');
  let members = TOP;
  for (let i = 0; i < parts.length; i++) {
    const m = members.get(parts[i]!);
    if (!m) break;
    if (m.kind === 'struct') {
      members = byWire(m.members!);
      continue;
    }
    if (m.kind === 'list') {
      if (!/^[1-9][0-9]{0,5}$/.test(parts[i + 1] ?? '')) break;
      i++;
      if (m.item) return i === parts.length - 1 ? m.item : unknown(prefix, key);
      members = byWire(m.members!);
      continue;
    }
    return i === parts.length - 1 ? m : unknown(prefix, key);
  }
  return unknown(prefix, key);
}

const unknown = (prefix: string, key: string): never => {
  throw new Ec2Error('UnknownParameter', `${prefix}.${key}`);
};

/** Checks every parameter against the model (names, booleans, integers, enums); booleans come back lower-case. */
export function checkTemplateParams(params: Params, prefix: string): Params {
  const out: Params = {};
  for (const [key, raw] of Object.entries(params)) {
    const s = resolve(key, prefix);
    out[key] = checkScalar(s.kind, s.enum, raw, `${prefix}.${key}`);
  }
  return out;
}

type Tree = { [k: string]: Tree | string } | string;

/** The params as a tree of wire names; list indexes become numeric keys. */
function treeOf(params: Params): Record<string, Tree> {
  const root: Record<string, Tree> = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split('.');
    let node = root as Record<string, Tree>;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]!];
      node = (typeof next === 'object' ? next : (node[parts[i]!] = {})) as Record<string, Tree>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

function valueXml(kind: string, v: string): OutputValue {
  if (kind === 'boolean') return v.toLowerCase() === 'true';
  if (kind === 'integer' || kind === 'number') return Number(v);
  return v;
}

function membersXml(members: Record<string, MemberSchema>, node: Record<string, Tree>): ActionOutput {
  const out: ActionOutput = {};
  for (const m of Object.values(members)) {
    const v = node[m.wire];
    if (v === undefined || !m.xml) continue;
    if (m.kind === 'struct') {
      if (typeof v === 'object') out[m.xml] = membersXml(m.members!, v as Record<string, Tree>);
    } else if (m.kind === 'list') {
      if (typeof v !== 'object') continue;
      const items = Object.entries(v as Record<string, Tree>).sort((a, b) => Number(a[0]) - Number(b[0]));
      const values = items.map(([, item]) =>
        m.item ? valueXml(m.item.kind, item as string) : membersXml(m.members!, typeof item === 'object' ? (item as Record<string, Tree>) : {}),
      );
      out[m.xml] = m.item?.xml ? namedMembers(m.item.xml, values) : values;
    } else if (typeof v === 'string') {
      out[m.xml] = valueXml(m.kind, v);
    }
  }
  return out;
}

/** `<launchTemplateData>` from the params, element names and order as the model's response shape. */
export const templateParamsXml = (params: Params): ActionOutput => membersXml(LAUNCH_TEMPLATE_MEMBERS, treeOf(params));

/** Where RunInstances names a template member differently (RequestLaunchTemplateData → RunInstancesRequest). */
const RUN_INSTANCES_NAMES: Record<string, string> = { RamDiskId: 'RamdiskId' };

/** Template members RunInstances has no counterpart for (fleets and Auto Scaling read them). */
export const NOT_FOR_RUN_INSTANCES = new Set(['InstanceRequirements']);

/** The params as RunInstances' wire parameters. */
export function runInstancesParams(params: Params): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(params)) {
    const dot = key.indexOf('.');
    const top = dot === -1 ? key : key.slice(0, dot);
    out.set((RUN_INSTANCES_NAMES[top] ?? top) + (dot === -1 ? '' : key.slice(dot)), value);
  }
  return out;
}
