// StateReason values EC2 gives instances whose launch failed after RunInstances answered (the
// instance shows pending, then shutting-down and terminated with this reason). Data with evidence,
// like the error catalogue.

export interface StateReason {
  readonly code: string;
  readonly message: string;
}

/**
 * A launch volume's KMS key cannot be used (it does not exist, is disabled or not usable by the
 * caller). observed: openshift/openshift-docs ROSA troubleshooting ("Client.InvalidKMSKey.InvalidState:
 * The KMS key provided is in an incorrect state", for a key "that does not exist");
 * openshift/osd-network-verifier reads this StateReason.Code of the instance it launched with a
 * KmsKeyId after the running waiter fails, then terminates it.
 */
export const INVALID_KMS_KEY: StateReason = {
  code: 'Client.InvalidKMSKey.InvalidState',
  message: 'Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state',
};
