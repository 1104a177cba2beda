// What EC2 answers for a parameter value holding a character XML 1.0 cannot carry (issue 19):
// InvalidParameterValue, 400, in EC2's "Value (<value>) for parameter <name> is invalid. <why>"
// form. The value is echoed as EC2 echoes it; the XML writer turns the offending characters
// into U+FFFD, so the answer stays well-formed (src/protocol/xml.ts).
//
// Evidence:
// - The form "Value (<value>) for parameter <name> is invalid. <why>" — observed for
//   CreateSecurityGroup: "Value (RDS PostgreSQL - EKS …) for parameter GroupDescription is invalid.
//   Character sets beyond ASCII are not supported." (terraform-provider-aws error logs quoted in
//   several public repositories, status 400); for CreateSnapshot: "Value (…) for parameter
//   description is invalid. It exceeds 255 characters" (aws-samples/bottlerocket-images-cache#8).
// - Key names: the API reference says "Up to 255 ASCII characters"; AWS's own CloudFormation
//   sample templates constrain KeyName with AllowedPattern "[\x20-\x7E]*" ("can contain only ASCII
//   characters"): printable ASCII, so a control character is answered like any character outside
//   it, "Character sets beyond ASCII are not supported." (src/domain/key-pair.ts).
// - Security group descriptions: documented characters "a-z, A-Z, 0-9, spaces, and
//   ._-:/()#,@[]+=&;{}!$*" — a control character is outside them; EC2's text for those, as above.
// - Anything else (tag keys and values, image and volume descriptions, names): EC2 documents
//   "any characters" for tags and no character set for descriptions, and no public capture of its
//   answer to a control character exists. The reason text "Control characters are not supported."
//   is ec2lite's (UNCONFIRMED); the code and the form are EC2's.

/** Parameters with a documented character set: EC2's own reason for a character outside it. */
const BY_PARAMETER: Readonly<Record<string, { field: string; why: string }>> = {
  KeyName: { field: 'keyName', why: 'Character sets beyond ASCII are not supported.' },
  GroupDescription: { field: 'GroupDescription', why: 'Character sets beyond ASCII are not supported.' },
};

/** The message for parameter `name` whose value holds a character XML cannot carry. */
export function unwritableValueMessage(name: string, value: string): string {
  const known = BY_PARAMETER[name];
  if (known) return `Value (${value}) for parameter ${known.field} is invalid. ${known.why}`;
  return `Value (${value}) for parameter ${name} is invalid. Control characters are not supported.`;
}

/** A parameter name (not value) holding such a character (ec2lite's text, UNCONFIRMED). */
export const UNWRITABLE_NAME_MESSAGE = 'Parameter names may not contain control characters.';
