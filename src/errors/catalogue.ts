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
  // crun (issue 24). observed: red-hat-storage/ocs-ci#9263 (status code 500), scylladb/scylla-cluster-tests#5119
  // (message). ec2lite adds why the host cannot run the image's real instances (it lists no other zones).
  InsufficientInstanceCapacity: entry(
    500,
    (type, zone, reason) =>
      `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity. (ec2lite: this host cannot run real instances: ${reason})`,
  ),
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
  // a value holding a character XML 1.0 cannot carry: src/errors/character-set-messages.ts (evidence there)
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
  // avail (issue 19): SignedHeaders without host: "'Host' or ':authority' must be a 'SignedHeader' in
  // the AWS Authorization." (AWS's text, seen in aws/aws-sdk-php#2469; Query-protocol validators
  // answer it as SignatureDoesNotMatch, 403).
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
  // Multi-Attach (issue 23): a volume past its 16 instances (the EBS user guide's limit; AWS's
  // per-instance attachment code, wording unconfirmed)
  AttachmentLimitExceeded: entry(400, (message) => message),
  VolumeInUse: entry(400, (message) => message),
  // observed: hashicorp/terraform#30144 (one id); atlassian/gostatsd#94, getmoto/moto#4903 (several)
  'InvalidInstanceID.NotFound': entry(400, (...ids) =>
    ids.length > 1 ? `The instance IDs '${ids.join(', ')}' do not exist` : `The instance ID '${ids[0]}' does not exist`,
  ),
  // observed: ClusterLabs/cluster-glue#29 (`Invalid id: "ma1"`)
  'InvalidInstanceID.Malformed': entry(400, (id) => `Invalid id: "${id}"`),
  // observed: hashicorp/terraform#22172 (Malformed); NotFound's bracketed id is AWS's
  // several ids: "The image ids '[ami-abcd1234, ami-1234abcd]' do not exist" (moto's AWS-verified
  // test_ami_describe_non_existent, DescribeImages)
  'InvalidAMIID.NotFound': entry(400, (...ids) =>
    ids.length > 1 ? `The image ids '[${ids.join(', ')}]' do not exist` : `The image id '[${ids[0]}]' does not exist`,
  ),
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
  'InvalidUserData.Malformed': entry(400, (message) => message),
  // observed: EC2 API tools and CLI captures ("The instance 'i-…' may not be terminated. Modify its …")
  OperationNotPermitted: entry(400, (message) => message),
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
  // ---- EBS (helper ebsasg) ----
  // observed: keithvassallomt/parsec-aws-automation#12 ("The parameter KmsKeyId requires the parameter
  // Encrypted to be set."); moto brackets the first name, AWS does not
  InvalidParameterDependency: entry(400, (param, needed) => `The parameter ${param} requires the parameter ${needed} to be set.`),
  // observed: kubernetes/kubernetes#69434 ("Volume vol-… cannot be modified in modification state OPTIMIZING")
  IncorrectModificationState: entry(400, (message) => message),
  // observed: packer#7499 ("OperationNotPermitted: Encrypted snapshots with EBS default key cannot be shared")
  // (OperationNotPermitted itself is above); stratus-red-team#109 for InvalidParameter on AMIs (free-form, above)
  // ---- end EBS ----
  // Auto Scaling (Query protocol, ErrorResponse envelope): modelled faults and the general ValidationError.
  // Their messages are built in ./autoscaling-messages.ts.
  ValidationError: entry(400, (message) => message),
  AlreadyExists: entry(400, (message) => message),
  ResourceInUse: entry(400, (message) => message),
  ScalingActivityInProgress: entry(400, (message) => message),
  LimitExceeded: entry(400, (message) => message),
  InvalidNextToken: entry(400, (message) => message),
  InstanceLimitExceeded: entry(400, (message) => message),
  // ---- Auto Scaling (helper ebsasg): modelled faults of StartInstanceRefresh / CancelInstanceRefresh ----
  InstanceRefreshInProgress: entry(400, (message) => message),
  ActiveInstanceRefreshNotFound: entry(400, (message) => message),
  // ---- end Auto Scaling ----
  // ---- Networking (issue 20). Sources: /work/shared/spec/aws-vpc-networking.md ([OBS] = a real AWS
  // answer quoted publicly), the EC2 error-code reference (docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
  // observed: hashicorp/terraform-provider-aws issues ("The vpc ID 'vpc-…' does not exist")
  'InvalidVpcID.NotFound': entry(400, (id) => `The vpc ID '${id}' does not exist`),
  // shaped like the other Malformed ids (`Invalid id: "x" (expecting "vpc-...")`), observed for sg-
  'InvalidVpcID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "vpc-...")`),
  // observed (spec): CreateVpc outside /16–/28
  'InvalidVpc.Range': entry(400, (cidr) => `The CIDR '${cidr}' is invalid.`),
  // observed (spec)
  VpcLimitExceeded: entry(400, () => 'The maximum number of VPCs has been reached.'),
  // error-code reference: DefaultVpcAlreadyExists; message as moto and AWS CLI captures show it
  DefaultVpcAlreadyExists: entry(400, () => 'A Default VPC already exists for this account in this region.'),
  // observed (spec): RunInstances with no subnet and no default VPC
  VPCIdNotSpecified: entry(400, () => 'No default VPC for this user'),
  // observed (spec)
  'InvalidSubnetID.NotFound': entry(400, (id) => `The subnet ID '${id}' does not exist`),
  'InvalidSubnetID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "subnet-...")`),
  'InvalidSubnet.Range': entry(400, (cidr) => `The CIDR '${cidr}' is invalid.`),
  'InvalidSubnet.Conflict': entry(400, (cidr) => `The CIDR '${cidr}' conflicts with another subnet`),
  // observed (spec): "The vpc 'vpc-…' has dependencies and cannot be deleted.", "resource sg-… has a dependent object"
  DependencyViolation: entry(400, (message) => message),
  // observed (spec)
  'InvalidGroup.Duplicate': entry(400, (name, vpcId) => `The security group '${name}' already exists for VPC '${vpcId}'`),
  // observed (spec): by id "The security group 'sg-…' does not exist"; by name in the default VPC, the caller's text
  'InvalidGroup.NotFound': entry(400, (message) => message),
  // observed (spec)
  'InvalidGroupId.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "sg-...")`),
  // error-code reference: a group may not be named "default"; message observed in AWS CLI captures
  'InvalidGroup.Reserved': entry(400, () => "The security group 'default' is reserved"),
  // observed (spec)
  CannotDelete: entry(400, (id) => `the specified group: "${id}" name: "default" cannot be deleted by a user`),
  // observed (spec)
  'InvalidPermission.Duplicate': entry(400, (message) => message),
  'InvalidPermission.NotFound': entry(400, () => 'The specified rule does not exist in this security group.'),
  'InvalidPermission.Malformed': entry(400, (message) => message),
  // observed (spec)
  RulesPerSecurityGroupLimitExceeded: entry(400, () => 'The maximum number of rules per security group has been reached.'),
  // error-code reference; wording follows the other limit messages [INF]
  SecurityGroupsPerInterfaceLimitExceeded: entry(400, () => 'The maximum number of security groups per interface has been reached.'),
  SecurityGroupLimitExceeded: entry(400, () => 'The maximum number of security groups has been reached.'),
  // error-code reference; wording shaped like the other NotFound ids [INF]
  'InvalidSecurityGroupRuleId.NotFound': entry(400, (id) => `The security group rule ID '${id}' does not exist`),
  'InvalidSecurityGroupRuleId.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "sgr-...")`),
  // observed (spec): "Address 10.0.0.10 is in use."; ReleaseAddress of an associated address uses the same code
  'InvalidIPAddress.InUse': entry(400, (message) => message),
  // observed: terraform-provider-aws issues ("The networkInterface ID 'eni-…' does not exist")
  'InvalidNetworkInterfaceID.NotFound': entry(400, (id) => `The networkInterface ID '${id}' does not exist`),
  // Interface addresses (issue 20, helper net3). observed: aws/amazon-vpc-cni-k8s#989 (AssignPrivateIpAddresses
  // past the instance type's per-interface limit: "Client.PrivateIpAddressLimitExceeded")
  PrivateIpAddressLimitExceeded: entry(400, () => 'Number of private addresses will exceed limit.'),
  // error-code reference: InsufficientFreeAddressesInSubnet [INF: wording ec2lite's]
  InsufficientFreeAddressesInSubnet: entry(400, (message) => message),
  // error-code reference: InvalidGatewayID.NotFound ("The specified gateway does not exist"); the text as moto
  // answers it for an egress-only gateway [INF: no public AWS capture found]
  'InvalidGatewayID.NotFound': entry(400, (id) => `The eigw ID '${id}' does not exist`),
  // error-code reference: InvalidNetworkInterface.InUse
  'InvalidNetworkInterface.InUse': entry(400, (message) => message),
  'InvalidNetworkInterfaceID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "eni-...")`),
  // observed: terraform-provider-aws issues ("The allocation ID 'eipalloc-…' does not exist")
  'InvalidAllocationID.NotFound': entry(400, (id) => `The allocation ID '${id}' does not exist`),
  // observed (spec)
  AddressLimitExceeded: entry(400, () => 'The maximum number of addresses has been reached.'),
  // moto and AWS CLI captures: "Address 'x' not found."
  'InvalidAddress.NotFound': entry(400, (message) => message),
  // observed: terraform-provider-aws issues ("The internetGateway ID 'igw-…' does not exist")
  'InvalidInternetGatewayID.NotFound': entry(400, (id) => `The internetGateway ID '${id}' does not exist`),
  // error-code reference; texts as AWS CLI captures quote them
  'Resource.AlreadyAssociated': entry(400, (message) => message),
  'Gateway.NotAttached': entry(400, (message) => message),
  // observed: terraform-provider-aws issues ("The routeTable ID 'rtb-…' does not exist")
  'InvalidRouteTableID.NotFound': entry(400, (id) => `The routeTable ID '${id}' does not exist`),
  'InvalidRoute.NotFound': entry(400, (message) => message),
  RouteAlreadyExists: entry(400, (message) => message),
  'InvalidNetworkAclID.NotFound': entry(400, (id) => `The networkAcl ID '${id}' does not exist`),
  'InvalidDhcpOptionID.NotFound': entry(400, (id) => `The dhcpOption ID '${id}' does not exist`),
  // error-code reference: DefaultVpcDoesNotExist; DefaultSubnetAlreadyExistsInAvailabilityZone (text: moto's test of CreateDefaultSubnet)
  DefaultVpcDoesNotExist: entry(400, (message) => message),
  DefaultSubnetAlreadyExistsInAvailabilityZone: entry(400, (message) => message),
  // ---- Networking, second part (issue 20: CIDR blocks, network ACL entries, prefix lists, VPC endpoints).
  // moto's aws_verified test_associate_vpc_ipv4_cidr_block quotes AWS's text (limit 5 IPv4 blocks)
  CidrLimitExceeded: entry(400, (vpcId, limit) => `This network ${vpcId} has met its maximum number of allowed CIDRs: ${limit}`),
  // codes and texts as moto answers them [INF: no public AWS capture found]
  'InvalidVpcCidrBlockAssociationIdError.NotFound': entry(400, (id) => `The vpc CIDR block association ID '${id}' does not exist`),
  'InvalidSubnetCidrBlockAssociationID.NotFound': entry(400, (id) => `The subnet CIDR block with association ID '${id}' does not exist`),
  // (OperationNotPermitted, above, also refuses removing a VPC's primary IPv4 block)
  // error-code reference: NetworkAclEntryAlreadyExists, InvalidNetworkAclEntry.NotFound, NetworkAclEntryLimitExceeded
  NetworkAclEntryAlreadyExists: entry(400, (n) => `The network acl entry identified by ${n} already exists.`),
  'InvalidNetworkAclEntry.NotFound': entry(400, (n, dir, acl) => `The ${dir} entry with rule number ${n} does not exist in network ACL '${acl}'.`),
  NetworkAclEntryLimitExceeded: entry(400, () => 'The maximum number of network ACL entries has been reached.'),
  'InvalidNetworkAclID.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "acl-...")`),
  // observed: aws-cloudformation/rain#308 ("The prefix list ID 'pl-xxxxxx' does not exist")
  'InvalidPrefixListID.NotFound': entry(400, (id) => `The prefix list ID '${id}' does not exist`),
  'InvalidPrefixListId.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "pl-...")`),
  // error-code reference: PrefixListVersionMismatch, InvalidPrefixListModification, PrefixListMaxEntriesExceeded
  PrefixListVersionMismatch: entry(400, (message) => message),
  InvalidPrefixListModification: entry(400, (message) => message),
  PrefixListMaxEntriesExceeded: entry(400, (message) => message),
  'InvalidVpcEndpointId.NotFound': entry(400, (id) => `The VpcEndpoint ID '${id}' does not exist`),
  'InvalidVpcEndpointId.Malformed': entry(400, (id) => `Invalid id: "${id}" (expecting "vpce-...")`),
  InvalidServiceName: entry(400, (name) => `The Vpc Endpoint Service '${name}' does not exist`),
  // ---- end networking
  // launch (issue 23): RunInstances members and instance attributes
  // (InvalidParameterDependency, the KmsKeyId-without-Encrypted rule of launch mappings: ebsasg's entry above)
  // DescribeIamInstanceProfileAssociations with an unknown id (code from the API reference's error list)
  'InvalidIamInstanceProfile.NotFound': entry(400, (message) => message),
  // the caller's text: launch's IAM associations, net's Elastic IP and route table associations
  // (observed: terraform-provider-aws issues, "The association ID 'eipassoc-…' does not exist")
  'InvalidAssociationID.NotFound': entry(400, (message) => message),
  InvalidInstanceAttributeValue: entry(400, (message) => message),
  // observed: "The Placement Group 'x' is unknown." (Terraform and CloudFormation logs); ec2lite has no placement groups
  'InvalidPlacementGroup.Unknown': entry(400, (message) => message),
  // codes of the EC2 error reference; ec2lite has no capacity reservations or dedicated hosts
  'InvalidCapacityReservationId.NotFound': entry(400, (message) => message),
  'InvalidHostID.NotFound': entry(400, (message) => message),
  InsufficientHostCapacity: entry(400, (message) => message),
  UnsupportedHibernationConfiguration: entry(400, (message) => message),
  InvalidInstanceType: entry(400, (message) => message),
  // --- login (issue 22): Windows launches, GetPasswordData, EC2 Instance Connect ---
  // observed: splunk/attack_range#901 (Terraform: "Unsupported: … status code: 400"), oven-sh/bun#20021
  Unsupported: entry(400, (message) => message),
  // EC2 Instance Connect (AWS JSON 1.1: {"__type","Message"}). Statuses: the API reference (400;
  // ServiceException 500). Messages marked "reference" are the API reference's description of the
  // exception: no public capture of the live wording was found.
  // observed: mludvig/aws-ssm-tools#44 (pattern failures: "1 validation error detected: Value '…' at
  // 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: …");
  // key problems observed: aws/aws-cli#6811 ("Invalid input parameter received for Illegal argument
  // exception: SSH Public key is invalid"), danmx/sigil#116 (the "RSA - " variant for RSA keys).
  // A zone that is not the instance's: code and wording unconfirmed (InvalidArgsException assumed).
  InvalidArgsException: entry(400, (message) => message),
  // reference
  EC2InstanceNotFoundException: entry(400, () => 'The specified instance was not found.'),
  // reference
  EC2InstanceStateInvalidException: entry(
    400,
    () =>
      'Unable to connect because the instance is not in a valid state. Connecting to a stopped or terminated instance is not supported. If the instance is stopped, start your instance, and try to connect again.',
  ),
  // reference; ec2lite throttles an instance that already holds 20 unexpired pushed keys
  ThrottlingException: entry(
    400,
    () => 'The requests were made too frequently and have been throttled. Wait a while and try again. To increase the limit on your request frequency, contact AWS Support.',
  ),
  // reference: serial console access is disabled in every account until EnableSerialConsoleAccess
  // (which ec2lite does not offer), so SendSerialConsoleSSHPublicKey always answers this.
  SerialConsoleAccessDisabledException: entry(
    400,
    () =>
      'Your account is not authorized to use the EC2 Serial Console. To authorize your account, run the EnableSerialConsoleAccess API. For more information, see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableSerialConsoleAccess.html in the Amazon EC2 API Reference.',
  ),
  // the credentials problems of a JSON service (AuthException is the model's code for them)
  AuthException: entry(400, (message) => message),
  // a member of the wrong JSON type (AWS JSON services' generic code)
  SerializationException: entry(400, (message) => message),
  // --- end login ---
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof catalogue;
