// `ec2lite keyfile fingerprint FILE [--as created|imported]`: fingerprints as EC2 computes them (src/keys/fingerprint.ts).
import { fingerprintCreatedRsa, fingerprintEd25519, fingerprintImportedRsa, sshPublicBlob, type KeyType } from '../../../keys/index.js';
import { choice, outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { CliError } from '../../errors.js';
import { json, table } from '../../format.js';
import { readKeyInput, type KeyInput } from '../../key-files.js';

const COMMAND = 'keyfile fingerprint';

export const usage = `Usage: ec2lite keyfile fingerprint FILE [--as created|imported] [options]

Print the fingerprint the EC2 console and DescribeKeyPairs show for a key, from a private key
file (PEM, OpenSSH, PuTTY) or a public key file (OpenSSH line, RFC 4716, base64 DER, PEM).

  created   RSA key pairs EC2 created: SHA-1 of the DER PKCS#8 private key (needs the private key)
            = openssl pkcs8 -in FILE -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c
  imported  RSA key pairs imported with ImportKeyPair: MD5 of the DER SubjectPublicKeyInfo
            = openssl rsa -in FILE -pubout -outform DER | openssl md5 -c
  ed25519   ED25519 key pairs, created or imported: base64 SHA-256 of the public key, '=' padded
            = the SHA256: value of 'ssh-keygen -l -f FILE' with '=' appended

For an RSA private key both the created and the imported forms are printed, labelled, unless
--as picks one; then only the fingerprint is printed (handy in scripts).

Options:
  --as created|imported      print only that fingerprint
  --passphrase-file FILE     passphrase of an encrypted key (first line of FILE); without it
                             ec2lite asks on the terminal
  --output table|json        output format (default table)
  -h, --help                 this help

Examples:
  ec2lite keyfile fingerprint my-key.pem
  ec2lite keyfile fingerprint my-key.pem --as created
  ec2lite keyfile fingerprint ~/.ssh/id_ed25519.pub
  ec2lite keyfile fingerprint my-key.ppk --passphrase-file pass.txt --output json

Exit codes: 0 ok, 1 unreadable or unsupported key, 2 usage error.
`;

export interface FingerprintEntry {
  As: 'created' | 'imported' | 'ed25519';
  Fingerprint: string;
  Algorithm: string;
}

export interface FingerprintData {
  File: string;
  KeyType: KeyType;
  Bits?: number;
  Source: 'private' | 'public';
  Fingerprints: FingerprintEntry[];
}

const CREATED = 'SHA-1 of the PKCS#8 private key (key pairs EC2 created)';
const IMPORTED = 'MD5 of the public key, SPKI DER (imported key pairs)';
const ED25519 = 'base64 SHA-256 of the public key (created or imported)';

export function collectFingerprint(file: string, input: KeyInput, as?: 'created' | 'imported'): FingerprintData {
  const pub = input.kind === 'private' ? input.key.publicKey : input.info.keyObject;
  const type = input.kind === 'private' ? input.key.type : input.info.type;
  const bits = type === 'rsa' ? pub.asymmetricKeyDetails?.modulusLength : undefined;
  const entries: FingerprintEntry[] = [];
  if (type === 'ed25519') {
    entries.push({ As: 'ed25519', Fingerprint: fingerprintEd25519(sshPublicBlob(pub)), Algorithm: ED25519 });
  } else {
    if (as !== 'imported') {
      if (input.kind === 'private') {
        entries.push({ As: 'created', Fingerprint: fingerprintCreatedRsa(input.key.privateKey), Algorithm: CREATED });
      } else if (as === 'created') {
        throw new CliError(`'${file}' is a public key: the fingerprint of a key pair EC2 created is a hash of the private key, so it needs the private key file`);
      }
    }
    if (as !== 'created') entries.push({ As: 'imported', Fingerprint: fingerprintImportedRsa(pub), Algorithm: IMPORTED });
  }
  return { File: file, KeyType: type, ...(bits !== undefined ? { Bits: bits } : {}), Source: input.kind, Fingerprints: entries };
}

export function renderFingerprint(data: FingerprintData, as: 'created' | 'imported' | undefined): string {
  if (as !== undefined) return data.Fingerprints.map((f) => f.Fingerprint + '\n').join('');
  return table(
    ['AS', 'FINGERPRINT', 'ALGORITHM'],
    data.Fingerprints.map((f) => [f.As, f.Fingerprint, f.Algorithm]),
  );
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { as: { type: 'string' }, 'passphrase-file': { type: 'string' }, ...outputOption },
  positionals: ['FILE'],
  async run({ values, positionals, io }) {
    const [file] = positionals as [string];
    const as = choice(values.as, ['created', 'imported'] as const, '--as', COMMAND);
    const output = outputFormat(values.output, COMMAND);
    const input = await readKeyInput(file, { passphraseFile: values['passphrase-file'], io });
    const data = collectFingerprint(file, input, as);
    io.stdout(output === 'json' ? json(data) : renderFingerprint(data, as));
    return 0;
  },
});
