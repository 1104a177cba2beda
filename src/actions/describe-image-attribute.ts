// DescribeImageAttribute: launchPermission or description of the caller's image.
// blockDeviceMapping is refused as AWS does (deprecated attribute).
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { findOwnImage } from './image-views.js';
import { fields } from './input.js';

const ATTRIBUTES = ['description', 'kernel', 'ramdisk', 'launchPermission', 'productCodes', 'blockDeviceMapping', 'sriovNetSupport', 'bootMode', 'tpmSupport', 'uefiData', 'lastLaunchedTime', 'imdsSupport', 'deregistrationProtection'] as const;

export default defineAction(
  'DescribeImageAttribute',
  {
    imageId: fields.string('ImageId', { required: true }),
    attribute: fields.enum('Attribute', ATTRIBUTES, { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const image = await findOwnImage(ctx, input.imageId);
    switch (input.attribute) {
      case 'launchPermission':
        return { imageId: image.imageId, launchPermission: image.launchPermissions.map((p) => (p.userId ? { userId: p.userId } : { group: p.group })) };
      case 'description':
        return { imageId: image.imageId, description: { value: image.description } };
      case 'blockDeviceMapping':
        // the model: "deprecated … returns Client.AuthFailure"
        throw new Ec2Error('AuthFailure', 'Unauthorized attempt to access restricted resource');
      default:
        return { imageId: image.imageId };
    }
  },
);
