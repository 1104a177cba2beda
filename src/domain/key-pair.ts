// Key pair rules that do not depend on storage: names, public key text, error wording.
import { Ec2Error } from '../errors/ec2-error.js';

export function validateKeyName(name: string): void {
  // Messages follow EC2's `Value (…) for parameter … is invalid.` form (crowdstrike/Cloud-AWS#241).
  if (name.length > 255) {
    throw new Ec2Error('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Length exceeds maximum of 255.`);
  }
  // printable ASCII: AWS's sample templates constrain KeyName to [\x20-\x7E] (src/errors/character-set-messages.ts)
  if (/[^\x20-\x7e]/.test(name)) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value (${name}) for parameter keyName is invalid. Character sets beyond ASCII are not supported.`,
    );
  }
  if (name !== name.trim()) {
    throw new Ec2Error('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Leading or trailing spaces are not allowed.`);
  }
}

export const keyPairNotFound = (name: string): Ec2Error => new Ec2Error('InvalidKeyPair.NotFound', name);
export const keyPairIdNotFound = (id: string): Ec2Error =>
  Ec2Error.withMessage('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);

/** AWS keeps no caller comment: the stored public key ends with the key pair's name. */
export const storedPublicKey = (opensshType: string, blobBase64: string, keyName: string): string =>
  `${opensshType} ${blobBase64} ${keyName}`;
