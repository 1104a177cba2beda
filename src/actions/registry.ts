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
import describeInstanceAttribute from './describe-instance-attribute.js';
import modifyInstanceAttribute from './modify-instance-attribute.js';
import attachVolume from './attach-volume.js';
import copyImage from './copy-image.js';
import createImage from './create-image.js';
import createSnapshot from './create-snapshot.js';
import deleteSnapshot from './delete-snapshot.js';
import deregisterImage from './deregister-image.js';
import describeImageAttribute from './describe-image-attribute.js';
import describeSnapshots from './describe-snapshots.js';
import modifyImageAttribute from './modify-image-attribute.js';
import resetImageAttribute from './reset-image-attribute.js';
import createVolume from './create-volume.js';
import deleteVolume from './delete-volume.js';
import describeVolumes from './describe-volumes.js';
import detachVolume from './detach-volume.js';
import modifyInstanceMetadataOptions from './modify-instance-metadata-options.js';
import rebootInstances from './reboot-instances.js';
import runInstances from './run-instances.js';
import startInstances from './start-instances.js';
import stopInstances from './stop-instances.js';
import terminateInstances from './terminate-instances.js';
import createLaunchTemplate from './launch-templates/create-launch-template.js';
import createLaunchTemplateVersion from './launch-templates/create-launch-template-version.js';
import deleteLaunchTemplate from './launch-templates/delete-launch-template.js';
import describeLaunchTemplateVersions from './launch-templates/describe-launch-template-versions.js';
import describeLaunchTemplates from './launch-templates/describe-launch-templates.js';
import modifyLaunchTemplate from './launch-templates/modify-launch-template.js';
import { ebsActions } from './ebs-actions.js';
import { networkActions } from './network/index.js';
// launch (issue 23)
import describeIamInstanceProfileAssociations from './describe-iam-instance-profile-associations.js';
import associateIamInstanceProfile from './associate-iam-instance-profile.js';
import disassociateIamInstanceProfile from './disassociate-iam-instance-profile.js';
import replaceIamInstanceProfileAssociation from './replace-iam-instance-profile-association.js';
import describeInstanceCreditSpecifications from './describe-instance-credit-specifications.js';
import modifyInstanceCreditSpecification from './modify-instance-credit-specification.js';
import monitorInstances from './monitor-instances.js';
import unmonitorInstances from './unmonitor-instances.js';
import describeInstanceStatus from './describe-instance-status.js';
import getLaunchTemplateData from './launch-templates/get-launch-template-data.js';
// login (issue 22)
import getPasswordData from './get-password-data.js';
import getConsoleOutput from './get-console-output.js';

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
  describeInstanceAttribute,
  modifyInstanceAttribute,
  describeImages,
  createVolume,
  attachVolume,
  detachVolume,
  deleteVolume,
  describeVolumes,
  createSnapshot,
  describeSnapshots,
  deleteSnapshot,
  createImage,
  copyImage,
  deregisterImage,
  modifyImageAttribute,
  describeImageAttribute,
  resetImageAttribute,
  createLaunchTemplate,
  createLaunchTemplateVersion,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  modifyLaunchTemplate,
  deleteLaunchTemplate,
  ...ebsActions,
  ...networkActions,
  // launch (issue 23)
  describeIamInstanceProfileAssociations,
  associateIamInstanceProfile,
  disassociateIamInstanceProfile,
  replaceIamInstanceProfileAssociation,
  describeInstanceCreditSpecifications,
  modifyInstanceCreditSpecification,
  monitorInstances,
  unmonitorInstances,
  describeInstanceStatus,
  getLaunchTemplateData,
  // login (issue 22)
  getPasswordData,
  getConsoleOutput,
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
