// `ec2lite keyfile public FILE`: the OpenSSH public key line, as `ssh-keygen -y -f FILE` prints it.
import { opensshPublicKeyLine, sshPublicBlob, type KeyType } from '../../../keys/index.js';
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { json } from '../../format.js';
import { readKeyInput, type KeyInput } from '../../key-files.js';

const COMMAND = 'keyfile public';

export const usage = `Usage: ec2lite keyfile public FILE [options]

Print the public key of a private key file (PEM, OpenSSH, PuTTY PPK) as an OpenSSH
authorized_keys line: what 'ssh-keygen -y -f FILE' prints (and PuTTYgen shows) and what
ImportKeyPair accepts. The line ends with the file's comment when it has one (OpenSSH, PPK).
A public key file in another format (RFC 4716, base64 DER, PEM) is converted to that line too.

Options:
  --passphrase-file FILE   passphrase of an encrypted key (first line of FILE); without it
                           ec2lite asks on the terminal
  --output table|json      output format (default: the bare line)
  -h, --help               this help

Examples:
  ec2lite keyfile public my-key.pem > my-key.pub
  ec2lite keyfile public my-key.ppk
  ec2lite keyfile public key.rfc4716.pub

Exit codes: 0 ok, 1 unreadable or unsupported key, 2 usage error.
`;

export interface PublicData {
  File: string;
  KeyType: KeyType;
  Bits?: number;
  PublicKey: string;
  Comment?: string;
}

export function collectPublic(file: string, input: KeyInput): PublicData {
  const pub = input.kind === 'private' ? input.key.publicKey : input.info.keyObject;
  const type = input.kind === 'private' ? input.key.type : input.info.type;
  const comment = (input.kind === 'private' ? input.key.comment : input.info.comment) || undefined;
  const bits = type === 'rsa' ? pub.asymmetricKeyDetails?.modulusLength : undefined;
  return {
    File: file,
    KeyType: type,
    ...(bits !== undefined ? { Bits: bits } : {}),
    PublicKey: opensshPublicKeyLine(sshPublicBlob(pub), comment),
    ...(comment !== undefined ? { Comment: comment } : {}),
  };
}

export function renderPublic(data: PublicData): string {
  return data.PublicKey + '\n';
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { 'passphrase-file': { type: 'string' }, ...outputOption },
  positionals: ['FILE'],
  async run({ values, positionals, io }) {
    const [file] = positionals as [string];
    const output = outputFormat(values.output, COMMAND);
    const data = collectPublic(file, await readKeyInput(file, { passphraseFile: values['passphrase-file'], io }));
    io.stdout(output === 'json' ? json(data) : renderPublic(data));
    return 0;
  },
});
