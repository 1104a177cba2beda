// Which resources the tag actions can address, found by id prefix. Each knows its EC2
// resource type and how to tell whether an id exists in the caller's account and region.
import { Ec2Error } from '../errors/ec2-error.js';
import { keyPairIdNotFound } from '../domain/key-pair.js';
import type { ActionContext } from './context.js';
import { networkTaggables } from './network/taggable.js';

export interface TaggableResource {
  readonly prefix: string;
  readonly type: string;
  exists(ctx: ActionContext, id: string): Promise<boolean>;
  notFound(id: string): Ec2Error;
}

const taggable: TaggableResource[] = [
  {
    prefix: 'key-',
    type: 'key-pair',
    exists: (ctx, id) => ctx.store.keyPairs.exists(ctx.scope, id),
    notFound: keyPairIdNotFound,
  },
  {
    prefix: 'i-',
    type: 'instance',
    exists: (ctx, id) => ctx.store.instances.exists(ctx.scope, id),
    notFound: (id) => new Ec2Error('InvalidInstanceID.NotFound', id),
  },
  {
    prefix: 'vol-',
    type: 'volume',
    exists: (ctx, id) => ctx.store.volumes.exists(ctx.scope, id),
    notFound: (id) => new Ec2Error('InvalidVolume.NotFound', id),
  },
  {
    prefix: 'snap-',
    type: 'snapshot',
    exists: async (ctx, id) => (await ctx.store.snapshots.list(ctx.scope, [id])).length > 0,
    notFound: (id) => new Ec2Error('InvalidSnapshot.NotFound', id),
  },
  {
    prefix: 'ami-',
    type: 'image',
    exists: async (ctx, id) => (await ctx.store.images.find(ctx.scope.region, id))?.ownerId === ctx.scope.accountId,
    notFound: (id) => new Ec2Error('InvalidAMIID.NotFound', id),
  },
  ...networkTaggables,
  // launch (issue 23): launch templates are documents; their tags live in the tags table
  {
    prefix: 'lt-',
    type: 'launch-template',
    exists: async (ctx, id) => (await ctx.store.documents.list<{ launchTemplateId: string }>(ctx.scope, 'launch-template')).some((t) => t.launchTemplateId === id),
    notFound: (id) => new Ec2Error('InvalidLaunchTemplateId.NotFound', id),
  },
];

export function taggableFor(id: string): TaggableResource {
  const resource = taggable.find((r) => id.startsWith(r.prefix) && /^[a-z]+-[0-9a-f]{8,17}$/.test(id));
  if (!resource) throw new Ec2Error('InvalidID', `The ID '${id}' is not valid`);
  return resource;
}

/** Resolves each id to its resource type, failing on the first that is malformed or missing. */
export async function resolveResources(ctx: ActionContext, ids: readonly string[]): Promise<{ id: string; type: string }[]> {
  const out: { id: string; type: string }[] = [];
  for (const id of ids) {
    const resource = taggableFor(id);
    if (!(await resource.exists(ctx, id))) throw resource.notFound(id);
    out.push({ id, type: resource.type });
  }
  return out;
}
