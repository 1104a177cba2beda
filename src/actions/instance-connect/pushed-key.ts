// What EC2 Instance Connect accepts as SSHPublicKey: one OpenSSH line of an RSA (2048 to 4096
// bits) or ED25519 key. Anything else is InvalidArgsException in AWS's words (observed:
// aws/aws-cli#6811 for other key types, danmx/sigil#116 for the RSA wording).
import { Ec2Error } from '../../errors/ec2-error.js';
import { parseImportedPublicKey } from '../../keys/index.js';

const invalid = (rsa: boolean) =>
  new Ec2Error('InvalidArgsException', `Invalid input parameter received for Illegal argument exception: ${rsa ? 'RSA - ' : ''}SSH Public key is invalid`);

/** The key line, trimmed; throws InvalidArgsException when EC2 Instance Connect would refuse it. */
export function checkPushedKey(text: string): string {
  const line = text.trim();
  const m = /^(ssh-rsa|ssh-ed25519) ([A-Za-z0-9+/]+={0,2})(?: [^\r\n]*)?$/.exec(line);
  if (!m) throw invalid(line.startsWith('ssh-rsa'));
  const rsa = m[1] === 'ssh-rsa';
  let bits: number | undefined;
  try {
    const info = parseImportedPublicKey(Buffer.from(`${m[1]} ${m[2]}`, 'utf8'));
    if (info.type !== (rsa ? 'rsa' : 'ed25519')) throw invalid(rsa);
    bits = info.bits;
  } catch {
    throw invalid(rsa);
  }
  // AWS: "the supported lengths are 2048 and 4096" for EC2 Instance Connect (ssh-keygen's 3072 works too)
  if (rsa && (bits === undefined || bits < 2048 || bits > 4096)) throw invalid(true);
  return line;
}
