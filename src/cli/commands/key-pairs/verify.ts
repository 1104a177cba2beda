// `ec2lite key-pairs verify NAME|ID PRIVATE_KEY_FILE`: does a local private key belong to a key pair?
// The check the EC2 docs describe ("Verify your key pair's fingerprint"), done both ways: the
// server's fingerprint against the local key's fingerprints (src/keys/fingerprint.ts), and the public keys.
import {
  fingerprintCreatedRsa,
  fingerprintEd25519,
  fingerprintImportedRsa,
  sshPublicBlob,
  type PrivateKeyFile,
} from '../../../keys/index.js';
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { describeOne } from '../../describe.js';
import { EXIT_MISMATCH, EXIT_OK } from '../../errors.js';
import { fields, json } from '../../format.js';
import { readPrivateKeyPath, type PassphraseSource } from '../../key-files.js';

const COMMAND = 'key-pairs verify';

export const usage = `Usage: ec2lite key-pairs verify NAME|ID PRIVATE_KEY_FILE [options]

Check that a local private key (PEM, OpenSSH or PuTTY file) belongs to a key pair on the
server. Two comparisons, and the output says which matched:
  fingerprint  the key pair's fingerprint against the local key's, computed as EC2 does:
               SHA-1 of the PKCS#8 private key (created RSA), MD5 of the public key SPKI
               (imported RSA), base64 SHA-256 (ED25519)
  public key   the key pair's public key (DescribeKeyPairs IncludePublicKey) against the
               local key's public half, ignoring the comment
The key matches when the public keys are equal (or, if the endpoint returns no public key,
when a fingerprint is equal).

Options:
  --passphrase-file FILE   passphrase of an encrypted key file (first line of FILE); without
                           it ec2lite asks on the terminal
  --output table|json      output format (default table)
  -h, --help               this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs verify my-key my-key.pem
  ec2lite key-pairs verify my-key my-key.ppk --output json
  ec2lite key-pairs verify my-key ~/.ssh/id_ed25519 || echo "wrong key file"

Exit codes: 0 match, 3 no match, 1 API error (e.g. InvalidKeyPair.NotFound), file or network
error, 2 usage error.
`;

export type FingerprintKind = 'created-rsa' | 'imported-rsa' | 'ed25519';

const KIND_TEXT: Record<FingerprintKind, string> = {
  'created-rsa': 'SHA-1 of the PKCS#8 private key (a key pair EC2 created)',
  'imported-rsa': 'MD5 of the public key SPKI (an imported key pair)',
  ed25519: 'base64 SHA-256 of the public key (ED25519)',
};

export interface VerifyData {
  KeyName: string;
  KeyPairId: string;
  KeyType?: string;
  File: string;
  LocalKeyType: string;
  Match: boolean;
  /** The server's fingerprint. */
  KeyFingerprint?: string;
  /** Which local fingerprint equals the server's, or null. */
  FingerprintMatch: FingerprintKind | null;
  /** Whether the public keys are equal; null when the endpoint returned no public key. */
  PublicKeyMatch: boolean | null;
  LocalFingerprints: Partial<Record<FingerprintKind, string>>;
}

export function localFingerprints(key: PrivateKeyFile): Partial<Record<FingerprintKind, string>> {
  if (key.type === 'ed25519') return { ed25519: fingerprintEd25519(sshPublicBlob(key.publicKey)) };
  return { 'created-rsa': fingerprintCreatedRsa(key.privateKey), 'imported-rsa': fingerprintImportedRsa(key.publicKey) };
}

function normalise(fp: string): string {
  return fp.trim().toLowerCase().replace(/=+$/, '');
}

/** Compare a key pair (as described by the server) with a local private key. */
export function compareKey(
  server: { KeyName?: string; KeyPairId?: string; KeyType?: string; KeyFingerprint?: string; PublicKey?: string },
  file: string,
  key: PrivateKeyFile,
): VerifyData {
  const local = localFingerprints(key);
  let fingerprintMatch: FingerprintKind | null = null;
  if (server.KeyFingerprint) {
    for (const [kind, fp] of Object.entries(local) as [FingerprintKind, string][]) {
      // ED25519 fingerprints are base64 (case matters); colon-hex ones are compared case-insensitively.
      const equal = kind === 'ed25519' ? fp.replace(/=+$/, '') === server.KeyFingerprint.trim().replace(/=+$/, '') : normalise(fp) === normalise(server.KeyFingerprint);
      if (equal) fingerprintMatch = kind;
    }
  }
  let publicKeyMatch: boolean | null = null;
  if (server.PublicKey) {
    const field = server.PublicKey.trim().split(/\s+/)[1];
    publicKeyMatch = field !== undefined && Buffer.from(field, 'base64').equals(sshPublicBlob(key.publicKey));
  }
  return {
    KeyName: server.KeyName ?? '',
    KeyPairId: server.KeyPairId ?? '',
    ...(server.KeyType !== undefined ? { KeyType: server.KeyType } : {}),
    File: file,
    LocalKeyType: key.type === 'rsa' ? `rsa ${key.publicKey.asymmetricKeyDetails?.modulusLength ?? ''}`.trim() : 'ed25519',
    Match: publicKeyMatch ?? fingerprintMatch !== null,
    ...(server.KeyFingerprint !== undefined ? { KeyFingerprint: server.KeyFingerprint } : {}),
    FingerprintMatch: fingerprintMatch,
    PublicKeyMatch: publicKeyMatch,
    LocalFingerprints: local,
  };
}

export async function collectVerify(settings: ClientSettings, nameOrId: string, file: string, src: PassphraseSource): Promise<VerifyData> {
  const key = await readPrivateKeyPath(file, src);
  const ec2 = await connect(settings, COMMAND);
  try {
    return compareKey(await describeOne(ec2, nameOrId, true), file, key);
  } finally {
    ec2.close();
  }
}

export function renderVerify(d: VerifyData): string {
  const fp =
    d.FingerprintMatch !== null
      ? `matches: ${d.KeyFingerprint} = ${KIND_TEXT[d.FingerprintMatch]}`
      : `no match: ${d.KeyFingerprint ?? '(none returned)'} is none of ${Object.values(d.LocalFingerprints).join(', ')}`;
  const pk = d.PublicKeyMatch === null ? 'not returned by the endpoint' : d.PublicKeyMatch ? 'matches' : 'differs';
  return fields([
    ['Key pair', `${d.KeyName} (${d.KeyPairId}${d.KeyType ? `, ${d.KeyType}` : ''})`],
    ['Local key', `${d.File} (${d.LocalKeyType})`],
    ['Fingerprint', fp],
    ['Public key', pk],
    ['Result', d.Match ? 'MATCH: the private key belongs to this key pair' : 'NO MATCH: the private key does not belong to this key pair'],
  ]);
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { 'passphrase-file': { type: 'string' }, ...clientOptions, ...outputOption },
  positionals: ['NAME|ID', 'PRIVATE_KEY_FILE'],
  async run({ values, positionals, io }) {
    const [nameOrId, file] = positionals as [string, string];
    const output = outputFormat(values.output, COMMAND);
    const d = await collectVerify(clientSettings(values, COMMAND), nameOrId, file, { passphraseFile: values['passphrase-file'], io });
    io.stdout(output === 'json' ? json(d) : renderVerify(d));
    return d.Match ? EXIT_OK : EXIT_MISMATCH;
  },
});
