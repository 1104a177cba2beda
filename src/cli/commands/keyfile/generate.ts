// `ec2lite keyfile generate --type rsa|ed25519 -o FILE`: a key pair made outside EC2, to import.
import { userInfo, hostname } from 'node:os';
import {
  fingerprintEd25519,
  fingerprintImportedRsa,
  generateEd25519,
  generateRsaSync,
  opensshPublicKeyLine,
  sshPublicBlob,
  type KeyType,
} from '../../../keys/index.js';
import { choice, outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { UsageError } from '../../errors.js';
import { fields, json } from '../../format.js';
import { PRIVATE_KEY_MODE, PUBLIC_KEY_MODE, assertAbsent, shellQuote, writeNewFile } from '../../key-files.js';
import { PRIVATE_KEY_FORMATS, describeFormat, encodePrivateKey } from '../../private-key-output.js';

const COMMAND = 'keyfile generate';

export const usage = `Usage: ec2lite keyfile generate -o FILE [--type rsa|ed25519] [--bits 1024|2048|4096] [options]

Generate a key pair the way a third-party tool (ssh-keygen, PuTTYgen) would, ready for
ImportKeyPair: the private key goes to FILE (mode 0400) and the OpenSSH public key line to
FILE.pub (mode 0644). Neither file may exist already.

Options:
  -o, --out FILE          private key file (required); the public key goes to FILE.pub
  --type rsa|ed25519      key type (default rsa)
  --bits 1024|2048|4096   RSA modulus size, the lengths EC2 accepts (default 2048)
  --format pem|openssh|ppk
                          private key format (default pem: PKCS#1 PEM for RSA, as EC2's
                          import instructions ask; ED25519 is always written in the OpenSSH
                          format for pem)
  --ppk-version 2|3       PPK version with --format ppk (default 2)
  --comment TEXT          comment in FILE.pub and the private key (default USER@HOST)
  --output table|json     output format (default table)
  -h, --help              this help

Examples:
  ec2lite keyfile generate -o my-key.pem
  ec2lite keyfile generate --type ed25519 -o ~/.ssh/ec2-ed25519
  ec2lite keyfile generate --bits 4096 --format ppk -o my-key.ppk
  ec2lite key-pairs import my-key --public-key my-key.pem.pub

Exit codes: 0 ok, 1 FILE or FILE.pub exists or cannot be written, 2 usage error.
`;

export interface GenerateData {
  File: string;
  PublicKeyFile: string;
  KeyType: KeyType;
  Bits?: number;
  Format: string;
  Comment: string;
  PublicKey: string;
  /** What EC2 shows after ImportKeyPair (MD5 SPKI for RSA, base64 SHA-256 for ED25519). */
  ImportFingerprint: string;
}

export function renderGenerate(data: GenerateData): string {
  return (
    fields([
      ['Private key', `${data.File} (mode 0400, ${data.Format})`],
      ['Public key', `${data.PublicKeyFile} (mode 0644)`],
      ['Key type', data.Bits !== undefined ? `${data.KeyType} ${data.Bits}` : data.KeyType],
      ['Comment', data.Comment],
      ['Fingerprint', `${data.ImportFingerprint} (as EC2 shows it once imported)`],
    ]) + `\nImport it with:  ec2lite key-pairs import NAME --public-key ${shellQuote(data.PublicKeyFile)}\n`
  );
}

function defaultComment(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  return `${user}@${hostname()}`;
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: {
    out: { type: 'string', short: 'o' },
    type: { type: 'string', short: 't' },
    bits: { type: 'string', short: 'b' },
    format: { type: 'string' },
    'ppk-version': { type: 'string' },
    comment: { type: 'string', short: 'C' },
    ...outputOption,
    help: { type: 'boolean', short: 'h' },
  },
  positionals: [],
  async run({ values, io }) {
    if (values.out === undefined) throw new UsageError('-o FILE is required', COMMAND);
    const type = choice(values.type, ['rsa', 'ed25519'] as const, '--type', COMMAND, 'rsa');
    const bitsArg = choice(values.bits, ['1024', '2048', '4096'] as const, '--bits', COMMAND);
    if (bitsArg !== undefined && type !== 'rsa') throw new UsageError('--bits only applies to --type rsa', COMMAND);
    const format = choice(values.format, PRIVATE_KEY_FORMATS, '--format', COMMAND, 'pem');
    const ppkArg = choice(values['ppk-version'], ['2', '3'] as const, '--ppk-version', COMMAND);
    if (ppkArg !== undefined && format !== 'ppk') throw new UsageError('--ppk-version only applies to --format ppk', COMMAND);
    const ppkVersion = ppkArg === '3' ? 3 : 2;
    const output = outputFormat(values.output, COMMAND);
    const comment = values.comment ?? defaultComment();
    if (/[\r\n]/.test(comment)) throw new UsageError('--comment must be a single line', COMMAND);

    const file = values.out;
    const pubFile = `${file}.pub`;
    await assertAbsent(file);
    await assertAbsent(pubFile);

    const bits = type === 'rsa' ? Number(bitsArg ?? '2048') : undefined;
    const pair = type === 'rsa' ? generateRsaSync(bits) : generateEd25519();
    const blob = sshPublicBlob(pair.publicKey);
    const publicLine = opensshPublicKeyLine(blob, comment || undefined);
    await writeNewFile(file, encodePrivateKey(pair.privateKey, format, comment, ppkVersion), PRIVATE_KEY_MODE);
    await writeNewFile(pubFile, publicLine + '\n', PUBLIC_KEY_MODE);

    const data: GenerateData = {
      File: file,
      PublicKeyFile: pubFile,
      KeyType: type,
      ...(bits !== undefined ? { Bits: bits } : {}),
      Format: describeFormat(pair.privateKey, format, ppkVersion),
      Comment: comment,
      PublicKey: publicLine,
      ImportFingerprint: type === 'rsa' ? fingerprintImportedRsa(pair.publicKey) : fingerprintEd25519(blob),
    };
    io.stdout(output === 'json' ? json(data) : renderGenerate(data));
    return 0;
  },
});
