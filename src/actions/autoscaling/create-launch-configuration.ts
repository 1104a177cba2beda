// CreateLaunchConfiguration: what a group launches, checked up front (image, key pair), unique per
// account and region. Can copy an instance's image, type and key (InstanceId).
import { randomUUID } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { resolveImage } from '../../compute/images.js';
import { launchConfigurationArn, type LaunchConfigurationDocument } from '../../domain/autoscaling.js';
import { DuplicateDocumentError } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { metadataOptionMembers } from '../metadata-options.js';
import { keyExists } from './launch-source.js';
import { configurationFromInstance, sourceInstance } from './configuration-from-instance.js';
import { launchConfigurationMemberFields, launchConfigurationMembers } from './launch-configuration-members.js';

export default defineAction(
  'CreateLaunchConfiguration',
  {
    launchConfigurationName: fields.string('LaunchConfigurationName', { required: true }),
    imageId: fields.string('ImageId'),
    instanceType: fields.string('InstanceType'),
    keyName: fields.string('KeyName'),
    securityGroups: fields.list('SecurityGroups.member'),
    userData: fields.string('UserData'),
    instanceId: fields.string('InstanceId'),
    ...launchConfigurationMemberFields,
    metadataOptions: fields.struct('MetadataOptions', {
      httpTokens: metadataOptionMembers.httpTokens,
      httpPutResponseHopLimit: metadataOptionMembers.httpPutResponseHopLimit,
      httpEndpoint: metadataOptionMembers.httpEndpoint,
    }),
  },
  async (ctx, input) => {
    if (!ctx.autoScaling.launchConfigurationsEnabled) throw autoScalingErrors.launchConfigurationsUnavailable();
    let { imageId, instanceType, keyName } = input;
    // The instance's members, under what the request gives (the API reference: "you can override any properties")
    const fromInstance = input.instanceId ? await configurationFromInstance(ctx, await sourceInstance(ctx, input.instanceId)) : undefined;
    if (fromInstance) {
      imageId ??= fromInstance.imageId;
      instanceType ??= fromInstance.instanceType;
      keyName ??= fromInstance.keyName;
    }
    if (!imageId || !instanceType) throw autoScalingErrors.imageAndTypeOrInstance();
    // observed form: "AMI ami-… is invalid: The image id '[ami-…]' does not exist"
    const image = await resolveImage(ctx.store, ctx.scope, imageId);
    if (!image || image === 'denied') {
      throw Ec2Error.withMessage('ValidationError', `AMI ${imageId} is invalid: The image id '[${imageId}]' does not exist`);
    }
    if (keyName !== undefined && !(await keyExists(ctx, keyName))) throw autoScalingErrors.keyPairNotFound(keyName);
    const doc: LaunchConfigurationDocument = {
      launchConfigurationName: input.launchConfigurationName,
      launchConfigurationARN: launchConfigurationArn(ctx.scope.region, ctx.scope.accountId, randomUUID(), input.launchConfigurationName),
      ...fromInstance,
      imageId,
      instanceType,
      keyName,
      securityGroups: input.securityGroups.length || !fromInstance ? input.securityGroups : fromInstance.securityGroups,
      userData: input.userData,
      metadataOptions: input.metadataOptions && Object.keys(input.metadataOptions).length ? input.metadataOptions : undefined,
      ...launchConfigurationMembers(input), // only what was given, so an instance's members stay under them
      createdTime: ctx.now().toISOString(),
    };
    try {
      await ctx.store.documents.insert(ctx.scope, 'launch-configuration', { name: doc.launchConfigurationName, data: doc });
    } catch (e) {
      if (e instanceof DuplicateDocumentError) throw autoScalingErrors.launchConfigurationExists(doc.launchConfigurationName);
      throw e;
    }
    return {};
  },
);
