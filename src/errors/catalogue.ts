// The EC2 error catalogue: code → HTTP status and message. This file *is* the spec for errors,
// since the EC2 service model declares no error shapes. Entries note their source where it is
// not AWS's error-code reference; "observed" means a real AWS response quoted publicly.

export interface ErrorEntry {
  readonly status: number;
  /** Builds the exact message AWS sends. */
  readonly message: (...args: string[]) => string;
}

const entry = (status: number, message: (...args: string[]) => string): ErrorEntry => ({ status, message });

export const catalogue = {
  // observed: kubenow/KubeNow#99 ("keypair" one word, trailing period)
  'InvalidKeyPair.Duplicate': entry(400, (name) => `The keypair '${name}' already exists.`),
  // observed: LocalStack snapshot recorded against AWS (no trailing period)
  'InvalidKeyPair.NotFound': entry(400, (name) => `The key pair '${name}' does not exist`),
  // observed: aws/aws-sdk-go#176 (garbage, DSA, ECDSA, double base64)
  'InvalidKey.Format': entry(400, () => 'Key is not in valid OpenSSH public key format'),
  // observed: hashicorp/packer#2465
  // Also EC2's answer to a request with no credentials at all: "…the parameter AWSAccessKeyId", 400
  // (observed: test-kitchen/kitchen-ec2#440, aws/aws-sdk-java-v2#120), not MissingAuthenticationToken.
  MissingParameter: entry(400, (name) => `The request must contain the parameter ${name}`),
  // free-form InvalidParameterValue: the caller passes the full message
  InvalidParameterValue: entry(400, (message) => message),
  InvalidParameterCombination: entry(400, (message) => message),
  InvalidParameter: entry(400, (message) => message),
  UnknownParameter: entry(400, (name) => `The parameter ${name} is not recognized`),
  // observed: boto/boto#1282
  InvalidAction: entry(400, (action) => `The action ${action} is not valid for this web service.`),
  MissingAction: entry(400, () => 'The request must contain the parameter Action'),
  // observed: getmoto/moto#1980 raw 412 capture
  DryRunOperation: entry(412, () => 'Request would have succeeded, but DryRun flag is set.'),
  // doc errors-overview; message text unconfirmed
  KeyPairLimitExceeded: entry(400, () => "Maximum of 5000 keypairs reached."),
  TagLimitExceeded: entry(400, (message) => message),
  'InvalidTagKey.Malformed': entry(400, (message) => message),
  'InvalidTagSpecification.Malformed': entry(400, (message) => message),
  'InvalidID': entry(400, (message) => message),
  // observed: ansible/ansible#5647. EC2 also answers a malformed Authorization header with this code and
  // the SigV4 parser's own text, e.g. "Credential must have exactly 5 slash-delimited elements, …"
  // (observed: StreisandEffect/streisand#485), where other Query services say IncompleteSignature.
  AuthFailure: entry(401, (message) => message || 'AWS was not able to validate the provided access credentials'),
  // observed: mitchellh/vagrant-aws#138. A scope for another service carries its own text (observed on
  // CloudFormation, timkay/aws#111): "Credential should be scoped to correct service: 'ec2'. ".
  SignatureDoesNotMatch: entry(
    403,
    (message) =>
      message ||
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ),
  // observed: aws/aws-sdk-java#1443
  RequestExpired: entry(400, () => 'Request has expired.'),
  MissingAuthenticationToken: entry(401, () => 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.'),
  IncompleteSignature: entry(400, (message) => message),
  UnauthorizedOperation: entry(403, () => 'You are not authorized to perform this operation.'),
  // Not an AWS code for a specific case, but the status the envelope needs for an oversized body.
  RequestEntityTooLarge: entry(413, (limit) => `Request body exceeds the maximum of ${limit} bytes.`),
  InternalError: entry(500, () => 'An internal error has occurred'),
  Unavailable: entry(503, () => 'The server is currently unavailable. Please retry the request.'),
  UnsupportedOperation: entry(400, (message) => message),
  IncorrectState: entry(400, (message) => message),
  IncorrectInstanceState: entry(400, (message) => message),
  VolumeInUse: entry(400, (message) => message),
  // observed: hashicorp/terraform#30144 (one id); atlassian/gostatsd#94, getmoto/moto#4903 (several)
  'InvalidInstanceID.NotFound': entry(400, (...ids) =>
    ids.length > 1 ? `The instance IDs '${ids.join(', ')}' do not exist` : `The instance ID '${ids[0]}' does not exist`,
  ),
  // observed: ClusterLabs/cluster-glue#29 (`Invalid id: "ma1"`)
  'InvalidInstanceID.Malformed': entry(400, (id) => `Invalid id: "${id}"`),
  // observed: hashicorp/terraform#22172 (Malformed); NotFound's bracketed id is AWS's
  'InvalidAMIID.NotFound': entry(400, (id) => `The image id '[${id}]' does not exist`),
  'InvalidAMIID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "ami-...")`),
  'InvalidVolume.NotFound': entry(400, (id) => `The volume '${id}' does not exist.`),
  'InvalidVolumeID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "vol-...")`),
  // observed: EBS CSI driver and Terraform logs (spec A.3)
  'InvalidVolume.ZoneMismatch': entry(400, (volumeId, instanceId) => `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`),
  // moto's wording (spec A.3); the caller passes the whole text
  'InvalidAttachment.NotFound': entry(400, (message) => message),
  // observed: "Snapshot does not exist" from CreateVolume (kvnn/OrdControl#13); Describe/Delete name the id
  'InvalidSnapshot.NotFound': entry(400, (id) => (id ? `The snapshot '${id}' does not exist.` : 'Snapshot does not exist')),
  'InvalidSnapshot.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "snap-...")`),
  // observed in cleanup-script logs (spec A.3)
  'InvalidSnapshot.InUse': entry(400, (snapshotId, imageId) => `The snapshot ${snapshotId} is currently in use by ${imageId}`),
  // observed: wazuh/wazuh-virtual-machines#654
  'InvalidAMIName.Duplicate': entry(400, (name, imageId) => `AMI name ${name} is already in use by AMI ${imageId}`),
  'InvalidAMIName.Malformed': entry(400, (message) => message),
  // moto's wording (spec A.3)
  'InvalidAMIID.Unavailable': entry(400, (id) => `The image id '[${id}]' is no longer available`),
  'InvalidAMIAttributeItemValue': entry(400, (value, type) => `Invalid attribute item value "${value}" for ${type} item type.`),
  InvalidBlockDeviceMapping: entry(400, (message) => message),
  IdempotentParameterMismatch: entry(400, (message) => message),
  // Launch templates. observed: terraform-aws-github-runner#1382, hashicorp/packer#7817
  'InvalidLaunchTemplateName.AlreadyExistsException': entry(400, () => 'Launch template name already in use.'),
  // observed: terraform-aws-github-runner#932 (2021 wording; 2019 said 125 characters)
  'InvalidLaunchTemplateName.MalformedException': entry(
    400,
    () => 'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
  ),
  // observed via the AWS CLI (getmoto/moto#5477)
  'InvalidLaunchTemplateName.NotFoundException': entry(400, (name) => `The specified launch template, with template name ${name}, does not exist.`),
  // observed: cartography-cncf/cartography#1519
  'InvalidLaunchTemplateId.NotFound': entry(400, (id) => `The specified launch template, with template ID ${id}, does not exist.`),
  // wording unconfirmed; shaped like the other Malformed ids
  'InvalidLaunchTemplateId.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "lt-...")`),
  // observed: eksctl-io/eksctl#7786
  'InvalidLaunchTemplateId.VersionNotFound': entry(
    400,
    (version, id) => `Could not find the specified version ${version} for the launch template with ID ${id}.`,
  ),
  // Auto Scaling (Query protocol, ErrorResponse envelope): modelled faults and the general ValidationError.
  // Their messages are built in ./autoscaling-messages.ts.
  ValidationError: entry(400, (message) => message),
  AlreadyExists: entry(400, (message) => message),
  ResourceInUse: entry(400, (message) => message),
  ScalingActivityInProgress: entry(400, (message) => message),
  LimitExceeded: entry(400, (message) => message),
  InvalidNextToken: entry(400, (message) => message),
  InstanceLimitExceeded: entry(400, (message) => message),
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof catalogue;
