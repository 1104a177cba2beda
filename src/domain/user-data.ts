// Instance user data as EC2 takes it: base64 on the wire (RunInstances `UserData`,
// ModifyInstanceAttribute `UserData.Value` / `Value`), at most 16 KB once decoded. Stored as
// the base64 of the decoded bytes, which is also what DescribeInstanceAttribute answers.
import { Ec2Error } from '../errors/ec2-error.js';

export const USER_DATA_MAX_BYTES = 16384;

/** Decodes wire base64 (whitespace ignored, padding optional); AWS's errors for bad text or size. */
export function decodeUserData(wire: string): Buffer {
  const text = wire.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
    // observed: hashicorp/terraform-provider-aws user reports (CreateLaunchTemplate); moto mirrors it for RunInstances
    throw new Ec2Error('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > USER_DATA_MAX_BYTES) {
    // observed: solana-labs/solana#19913, dask/dask-cloudprovider#249 (aws cli / boto3)
    throw new Ec2Error('InvalidParameterValue', `User data is limited to ${USER_DATA_MAX_BYTES} bytes`);
  }
  return bytes;
}
