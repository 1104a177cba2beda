// The one list of API actions. The protocol layer dispatches from it (an Action not listed here
// is answered with InvalidAction); README's "Supported actions" table lists the same.
import type { Action } from './action.js';
import createKeyPair from './create-key-pair.js';
import createTags from './create-tags.js';
import deleteKeyPair from './delete-key-pair.js';
import deleteTags from './delete-tags.js';
import describeKeyPairs from './describe-key-pairs.js';
import describeTags from './describe-tags.js';
import importKeyPair from './import-key-pair.js';
import describeImages from './describe-images.js';
import describeInstances from './describe-instances.js';
import describeVolumes from './describe-volumes.js';
import modifyInstanceMetadataOptions from './modify-instance-metadata-options.js';
import rebootInstances from './reboot-instances.js';
import runInstances from './run-instances.js';
import startInstances from './start-instances.js';
import stopInstances from './stop-instances.js';
import terminateInstances from './terminate-instances.js';

export type AnyAction = Action<any>;

const actions: AnyAction[] = [
  createKeyPair,
  importKeyPair,
  describeKeyPairs,
  deleteKeyPair,
  createTags,
  deleteTags,
  describeTags,
  runInstances,
  describeInstances,
  startInstances,
  stopInstances,
  rebootInstances,
  terminateInstances,
  modifyInstanceMetadataOptions,
  describeImages,
  describeVolumes,
];

export class ActionRegistry {
  private readonly byName = new Map<string, AnyAction>();
  constructor(list: readonly AnyAction[]) {
    for (const a of list) this.byName.set(a.name, a);
  }
  get(name: string): AnyAction | undefined {
    return this.byName.get(name);
  }
}

export const apiActions = new ActionRegistry(actions);
