// The validation engine: each action declares its input as a table of fields (wire name, kind,
// constraints); this turns the flat wire parameters into typed input, in AWS's order:
// unknown parameters → required → per-field constraints. Cross-field rules and state checks
// (not found, duplicate) belong to the action itself.
import { Ec2Error } from '../errors/ec2-error.js';

export type WireParams = ReadonlyMap<string, string>;

interface Base {
  /** The parameter name on the wire (queryName): `KeyName`, `KeyPairId`. */
  readonly wire: string;
  readonly required?: boolean;
}
export interface StringField extends Base { readonly kind: 'string' }
export interface EnumField<V extends string = string> extends Base { readonly kind: 'enum'; readonly values: readonly V[] }
export interface BooleanField extends Base { readonly kind: 'boolean' }
export interface IntegerField extends Base { readonly kind: 'integer' }
export interface BlobField extends Base { readonly kind: 'blob' }
/** `KeyName.1`, `KeyName.2`, … */
export interface ListField extends Base { readonly kind: 'list' }
/** `Filter.N.Name` / `Filter.N.Value.M` */
export interface FiltersField extends Base { readonly kind: 'filters' }
/** `TagSpecification.N.ResourceType` / `TagSpecification.N.Tag.M.Key|Value` */
export interface TagSpecificationsField extends Base { readonly kind: 'tagSpecifications' }
/** `Tag.N.Key` / `Tag.N.Value` */
export interface TagsField extends Base { readonly kind: 'tags' }
/** `Placement.AvailabilityZone`: a structure of scalar members. */
export interface StructField<M extends Record<string, ScalarField> = Record<string, ScalarField>> extends Base {
  readonly kind: 'struct';
  readonly members: M;
}
/** `BlockDeviceMapping.N.DeviceName`, `BlockDeviceMapping.N.Ebs.VolumeSize`: a list of flat structures (dotted member wires). */
export interface StructListField<M extends Record<string, ScalarField> = Record<string, ScalarField>> extends Base {
  readonly kind: 'structList';
  readonly members: M;
}

/**
 * Every parameter under `Prefix.` that no other field of the table took, kept as given: the
 * members of a large structure that are accepted and stored but have no behaviour here.
 */
export interface RestField extends Base { readonly kind: 'rest' }

export type ScalarField = StringField | EnumField | BooleanField | IntegerField;
export type Field =
  | ScalarField
  | BlobField
  | ListField
  | FiltersField
  | TagSpecificationsField
  | TagsField
  | StructField
  | StructListField
  | RestField;

export interface Filter { name: string; values: string[] }
export interface Tag { key: string; value: string }
export interface TagSpecification { resourceType: string | undefined; tags: Tag[] }

type ScalarValue<F> = F extends EnumField<infer V>
  ? V
  : F extends BooleanField
    ? boolean
    : F extends IntegerField
      ? number
      : string;
type ValueOf<F> = F extends RestField
  ? Record<string, string>
  : F extends BlobField
  ? Buffer
  : F extends ListField
    ? string[]
    : F extends FiltersField
      ? Filter[]
      : F extends TagSpecificationsField
        ? TagSpecification[]
        : F extends TagsField
          ? Tag[]
          : F extends StructField<infer M>
            ? { [K in keyof M]?: ScalarValue<M[K]> }
            : F extends StructListField<infer M>
              ? { [K in keyof M]?: ScalarValue<M[K]> }[]
              : ScalarValue<F>;
type Always = ListField | FiltersField | TagSpecificationsField | TagsField | StructListField | RestField;

export type InputOf<T extends Record<string, Field>> = {
  [K in keyof T]: T[K] extends { required: true } | Always ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

type Req<R extends boolean> = { readonly required: R };
type Opts<R extends boolean> = { required?: R };

export const fields = {
  string: <const R extends boolean = false>(wire: string, opts: Opts<R> = {}): StringField & Req<R> =>
    ({ kind: 'string', wire, required: false, ...opts }) as StringField & Req<R>,
  enum: <const V extends string, const R extends boolean = false>(wire: string, values: readonly V[], opts: Opts<R> = {}): EnumField<V> & Req<R> =>
    ({ kind: 'enum', wire, values, required: false, ...opts }) as EnumField<V> & Req<R>,
  boolean: (wire: string): BooleanField => ({ kind: 'boolean', wire }),
  integer: <const R extends boolean = false>(wire: string, opts: Opts<R> = {}): IntegerField & Req<R> =>
    ({ kind: 'integer', wire, required: false, ...opts }) as IntegerField & Req<R>,
  blob: <const R extends boolean = false>(wire: string, opts: Opts<R> = {}): BlobField & Req<R> =>
    ({ kind: 'blob', wire, required: false, ...opts }) as BlobField & Req<R>,
  list: (wire: string, opts: { required?: boolean } = {}): ListField => ({ kind: 'list', wire, ...opts }),
  filters: (): FiltersField => ({ kind: 'filters', wire: 'Filter' }),
  tagSpecifications: (): TagSpecificationsField => ({ kind: 'tagSpecifications', wire: 'TagSpecification' }),
  tags: (wire = 'Tag', opts: { required?: boolean } = {}): TagsField => ({ kind: 'tags', wire, ...opts }),
  struct: <M extends Record<string, ScalarField>>(wire: string, members: M): StructField<M> => ({ kind: 'struct', wire, members }),
  rest: (prefix: string): RestField => ({ kind: 'rest', wire: prefix }),
  structList: <M extends Record<string, ScalarField>>(wire: string, members: M): StructListField<M> => ({
    kind: 'structList',
    wire,
    members,
  }),
};

/** The model's member name as AWS quotes it in messages: `KeyType` → `keyType`. */
export const memberName = (wire: string): string => wire.charAt(0).toLowerCase() + wire.slice(1);

/** Groups `Prefix.N.rest` parameters by N (1-based, ascending); values keyed by `rest`. */
function indexed(params: WireParams, prefix: string, consumed: Set<string>): Map<number, Map<string, string>> {
  const groups = new Map<number, Map<string, string>>();
  const head = prefix + '.';
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const indexText = dot === -1 ? rest : rest.slice(0, dot);
    if (!/^[1-9][0-9]{0,5}$/.test(indexText)) continue; // left for the unknown-parameter check
    consumed.add(key);
    const index = Number(indexText);
    let group = groups.get(index);
    if (!group) groups.set(index, (group = new Map()));
    group.set(dot === -1 ? '' : rest.slice(dot + 1), value);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

function parseScalar(field: ScalarField, raw: string, wireName: string): unknown {
  switch (field.kind) {
    case 'string':
      return raw;
    case 'enum':
      if (!(field.values as readonly string[]).includes(raw)) {
        // observed (packer-plugin-amazon#184): the smithy-style message EC2 uses for enums
        throw new Ec2Error(
          'InvalidParameterValue',
          `1 validation error detected: Value '${raw}' at '${memberName(field.wire)}' failed to satisfy constraint: Member must satisfy enum value set: [${field.values.join(', ')}]`,
        );
      }
      return raw;
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${wireName}. Expected a boolean value.`);
    }
    case 'integer': {
      if (!/^-?[0-9]{1,15}$/.test(raw.trim())) {
        throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${wireName}. Expected an integer value.`);
      }
      return Number(raw.trim());
    }
  }
}

function readField(params: WireParams, field: Field, consumed: Set<string>): unknown {
  switch (field.kind) {
    case 'string':
    case 'enum':
    case 'boolean':
    case 'integer': {
      const raw = params.get(field.wire);
      if (raw === undefined) return undefined;
      consumed.add(field.wire);
      return parseScalar(field, raw, field.wire);
    }
    case 'blob': {
      const raw = params.get(field.wire);
      if (raw === undefined) return undefined;
      consumed.add(field.wire);
      return Buffer.from(raw, 'base64');
    }
    case 'list': {
      // An empty list is sent as `Name=` (botocore): accept and treat as no values.
      if (params.get(field.wire) === '') consumed.add(field.wire);
      consumeEmptyMemberList(params, field.wire, consumed);
      return [...indexed(params, field.wire, consumed)].map(([, g]) => g.get('') ?? '');
    }
    case 'filters': {
      if (params.get(field.wire) === '') consumed.add(field.wire);
      const out: Filter[] = [];
      for (const [n, group] of indexed(params, field.wire, consumed)) {
        const name = group.get('Name');
        const values: [number, string][] = [];
        for (const [rest, value] of group) {
          const m = /^Value\.([1-9][0-9]*)$/.exec(rest);
          if (m) values.push([Number(m[1]), value]);
          else if (rest !== 'Name') throw new Ec2Error('UnknownParameter', `${field.wire}.${n}.${rest}`);
        }
        // A filter without a name is an unknown filter to EC2, named as Java prints a null: AWS's own
        // EC2 fake in aws/karpenter-provider-aws answers "InvalidParameterValue: The filter 'null' is invalid".
        if (name === undefined) throw new Ec2Error('InvalidParameterValue', "The filter 'null' is invalid");
        out.push({ name, values: values.sort((a, b) => a[0] - b[0]).map(([, v]) => v) });
      }
      return out;
    }
    case 'tags': {
      if (params.get(field.wire) === '') consumed.add(field.wire);
      const out: Tag[] = [];
      for (const [n, group] of indexed(params, field.wire, consumed)) {
        for (const rest of group.keys()) {
          if (rest !== 'Key' && rest !== 'Value') throw new Ec2Error('UnknownParameter', `${field.wire}.${n}.${rest}`);
        }
        out.push({ key: group.get('Key') ?? '', value: group.get('Value') ?? '' });
      }
      return out;
    }
    case 'tagSpecifications': {
      if (params.get(field.wire) === '') consumed.add(field.wire);
      const out: TagSpecification[] = [];
      for (const [n, group] of indexed(params, field.wire, consumed)) {
        const tags = new Map<number, Tag>();
        for (const [rest, value] of group) {
          if (rest === 'ResourceType') continue;
          const m = /^Tag\.([1-9][0-9]*)\.(Key|Value)$/.exec(rest);
          if (!m) throw new Ec2Error('UnknownParameter', `${field.wire}.${n}.${rest}`);
          const i = Number(m[1]);
          const tag = tags.get(i) ?? { key: '', value: '' };
          if (m[2] === 'Key') tag.key = value;
          else tag.value = value;
          tags.set(i, tag);
        }
        out.push({
          resourceType: group.get('ResourceType'),
          tags: [...tags].sort((a, b) => a[0] - b[0]).map(([, t]) => t),
        });
      }
      return out;
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(field.members)) {
        const wire = `${field.wire}.${member.wire}`;
        const raw = params.get(wire);
        if (raw === undefined) continue;
        consumed.add(wire);
        out[name] = parseScalar(member, raw, wire);
      }
      return out;
    }
    case 'rest': {
      const out: Record<string, string> = {};
      for (const [key, value] of params) {
        if (!key.startsWith(field.wire + '.') || consumed.has(key)) continue;
        consumed.add(key);
        out[key.slice(field.wire.length + 1)] = value;
      }
      return out;
    }
    case 'structList': {
      consumeEmptyMemberList(params, field.wire, consumed);
      const out: Record<string, unknown>[] = [];
      for (const [n, group] of indexed(params, field.wire, consumed)) {
        const item: Record<string, unknown> = {};
        const known = new Set<string>();
        for (const [name, member] of Object.entries(field.members)) {
          known.add(member.wire);
          const raw = group.get(member.wire);
          if (raw !== undefined) item[name] = parseScalar(member, raw, `${field.wire}.${n}.${member.wire}`);
        }
        for (const rest of group.keys()) {
          if (!known.has(rest)) throw new Ec2Error('UnknownParameter', `${field.wire}.${n}.${rest}`);
        }
        out.push(item);
      }
      return out;
    }
  }
}

/**
 * The Query protocol's empty list (Auto Scaling: `InstanceIds.member.N`): botocore sends `InstanceIds=`
 * for `[]`, without `.member`; it stands for no values.
 */
function consumeEmptyMemberList(params: WireParams, wire: string, consumed: Set<string>): void {
  if (!wire.endsWith('.member')) return;
  const bare = wire.slice(0, -'.member'.length);
  if (params.get(bare) === '') consumed.add(bare);
}

/**
 * A Query-protocol list (`X.member.N`) sent empty as `X=` (botocore's encoding of `[]`) is given:
 * an empty list, not a missing member — AWS's "must not be null" is about absent members, and
 * lists such as SetInstanceProtection's InstanceIds have no minimum length in the service model.
 */
function givenEmpty(params: WireParams, field: Field): boolean {
  return field.kind === 'list' && field.wire.endsWith('.member') && params.get(field.wire.slice(0, -'.member'.length)) === '';
}

function isMissing(value: unknown): boolean {
  if (value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * Reads an action's input. `isProtocolParam` tells which parameters belong to the protocol layer
 * (Action, Version, auth) so that everything else unrecognised is AWS's `UnknownParameter`.
 */
export function readInput<T extends Record<string, Field>>(
  spec: T,
  params: WireParams,
  isProtocolParam: (name: string) => boolean,
): InputOf<T> {
  const consumed = new Set<string>();
  const out: Record<string, unknown> = {};
  const entries = Object.entries(spec);
  // `rest` fields take what the others left, so they are read last.
  for (const [name, field] of entries) if (field.kind !== 'rest') out[name] = readField(params, field, consumed);
  for (const [name, field] of entries) if (field.kind === 'rest') out[name] = readField(params, field, consumed);
  for (const key of params.keys()) {
    if (consumed.has(key) || isProtocolParam(key)) continue;
    throw new Ec2Error('UnknownParameter', key.split('.')[0] ?? key);
  }
  for (const [name, field] of entries) {
    if (field.required && isMissing(out[name]) && !givenEmpty(params, field)) throw new Ec2Error('MissingParameter', field.wire);
  }
  return out as InputOf<T>;
}
