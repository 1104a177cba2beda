// `ec2lite key-pairs …` against an ec2lite server on a random port (in this process: the CLI runs
// in-process through main(), or as a child process spawned asynchronously).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CreateKeyPairCommand } from '@aws-sdk/client-ec2';
import { opensslDigest, run, sshKeygen, tempDir } from '../helpers/tools.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { cli, modeOf, spawnCli } from './cli-harness.js';

let server: TestServer;
const dir = tempDir('ec2lite-cli-keys-');
let ep: string[];
before(async () => {
  server = await startTestServer();
  ep = ['--endpoint', server.url];
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const keys = (...args: string[]) => cli(['key-pairs', ...args, ...ep]);
const sha1Pkcs8 = (pem: string) =>
  createHash('sha1')
    .update(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }))
    .digest('hex')
    .match(/../g)!
    .join(':');

describe('ec2lite key-pairs create', () => {
  it('RSA: saves PKCS#1 PEM with mode 0400, prints name, id, fingerprint (SHA-1 of PKCS#8)', async () => {
    const f = dir.file('c-rsa.pem');
    const r = await keys('create', 'c-rsa', '-o', f);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(modeOf(f), 0o400);
    const pem = readFileSync(f, 'utf8');
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/);
    const fp = sha1Pkcs8(pem);
    // The AWS doc's openssl command on the saved file agrees.
    assert.equal(opensslDigest(run('sh', ['-c', `openssl pkcs8 -in '${f}' -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c`])), fp);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Name:         c-rsa');
    assert.match(lines[1]!, /^ID: +key-[0-9a-f]{17}$/);
    assert.equal(lines[2], 'Type:         rsa');
    assert.equal(lines[3], `Fingerprint:  ${fp}`);
    assert.equal(lines[4], `Private key:  ${f} (mode 0400, pem)`);
    assert.equal(r.stderr, '');
  });

  it('ED25519 and PPK formats, tags, json output', async () => {
    const f = dir.file('c-ed');
    const r = await keys('create', 'c-ed', '--type', 'ed25519', '-o', f, '--tag', 'team=ops', '--tag', 'solo', '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.match(data.KeyPairId as string, /^key-[0-9a-f]{17}$/);
    assert.deepEqual({ ...data, KeyPairId: 'x', KeyFingerprint: 'y' }, {
      KeyName: 'c-ed',
      KeyPairId: 'x',
      KeyType: 'ed25519',
      KeyFormat: 'pem',
      KeyFingerprint: 'y',
      KeyFile: f,
      Tags: [
        { Key: 'team', Value: 'ops' },
        { Key: 'solo', Value: '' },
      ],
    });
    assert.match(readFileSync(f, 'utf8'), /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const sshFp = /SHA256:(\S+) /.exec(run('ssh-keygen', ['-l', '-f', f]))![1]!;
    assert.equal(data.KeyFingerprint, `${sshFp}=`);

    const ppk = dir.file('c-ppk.ppk');
    const p = await keys('create', 'c-ppk', '--format', 'ppk', '-o', ppk);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(modeOf(ppk), 0o400);
    assert.match(readFileSync(ppk, 'utf8'), /^PuTTY-User-Key-File-2: ssh-rsa\n/);
    assert.match(run('puttygen', ['-L', ppk]), /^ssh-rsa AAAA/); // PuTTYgen loads it (MAC ok)
  });

  it('writes NAME.pem / NAME.ppk in the current directory by default (child process, no credentials set)', async () => {
    const cwd = dir.file('');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, EC2LITE_ENDPOINT: server.url, AWS_EC2_METADATA_DISABLED: 'true' };
    const r = await spawnCli(['key-pairs', 'create', 'default-path'], { cwd, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(modeOf(dir.file('default-path.pem')), 0o400);
    const p = await spawnCli(['key-pairs', 'create', 'default-ppk', '--format', 'ppk'], { cwd, env });
    assert.equal(p.code, 0, p.stderr);
    assert.equal(modeOf(dir.file('default-ppk.ppk')), 0o400);
  });

  it('never overwrites: an existing file stops the command before the key pair is created', async () => {
    const f = dir.file('exists.pem');
    writeFileSync(f, 'keep me', { mode: 0o600 });
    const r = await keys('create', 'not-created', '-o', f);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: '.*exists\.pem' already exists; ec2lite never overwrites a key file/);
    assert.equal(readFileSync(f, 'utf8'), 'keep me');
    const show = await keys('show', 'not-created');
    assert.equal(show.stderr, "error: InvalidKeyPair.NotFound: The key pair 'not-created' does not exist\n");
  });

  it('duplicate name: InvalidKeyPair.Duplicate on stderr, exit 1, no file', async () => {
    const f = dir.file('dup.pem');
    const r = await keys('create', 'c-rsa', '-o', f);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', "error: InvalidKeyPair.Duplicate: The keypair 'c-rsa' already exists.\n"]);
    assert.equal(existsSync(f), false);
  });

  it('-o - prints the private key on stdout and the summary on stderr', async () => {
    const r = await keys('create', 'to-stdout', '-o', '-');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/);
    assert.match(r.stderr, new RegExp(`^Name: +to-stdout\\n[\\s\\S]*Fingerprint: +${sha1Pkcs8(r.stdout)}\\n$`));
  });

  it('usage errors exit 2: unsafe file name without -o, bad --type/--format, missing NAME', async () => {
    const slash = await keys('create', 'a/b');
    assert.equal(slash.code, 2);
    assert.match(slash.stderr, /does not make a safe file name: choose the file with -o FILE/);
    assert.equal((await keys('create', 'x', '--type', 'dsa')).code, 2);
    assert.equal((await keys('create', 'x', '--format', 'der')).code, 2);
    const none = await keys('create');
    assert.deepEqual([none.code, none.stderr], [2, "error: missing NAME\nRun 'ec2lite key-pairs create --help' for usage.\n"]);
  });
});

describe('ec2lite key-pairs import', () => {
  let rsa: { path: string; pub: Buffer };
  let ed: { path: string; pub: Buffer };
  before(() => {
    rsa = sshKeygen(dir.path, 'imp-rsa', 'rsa', 2048);
    ed = sshKeygen(dir.path, 'imp-ed', 'ed25519');
  });

  it('OpenSSH RSA public key: MD5 SPKI fingerprint, the same as key fingerprint --as imported', async () => {
    const r = await keys('import', 'i-rsa', '--public-key', `${rsa.path}.pub`);
    assert.equal(r.code, 0, r.stderr);
    const local = (await cli(['keyfile', 'fingerprint', rsa.path, '--as', 'imported'])).stdout.trim();
    assert.match(r.stdout, new RegExp(`^Name: +i-rsa\\nID: +key-[0-9a-f]{17}\\nFingerprint: +${local}\\n$`));
  });

  it('RFC 4716 and ED25519 public keys, tags, json', async () => {
    const rfc = dir.file('imp.rfc4716');
    writeFileSync(rfc, run('ssh-keygen', ['-e', '-f', `${rsa.path}.pub`]));
    const r = await keys('import', 'i-rfc', '--public-key', rfc, '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    const local = (await cli(['keyfile', 'fingerprint', rsa.path, '--as', 'imported'])).stdout.trim();
    assert.equal((JSON.parse(r.stdout) as { KeyFingerprint: string }).KeyFingerprint, local);

    const e = await keys('import', 'i-ed', '--public-key', `${ed.path}.pub`, '--tag', 'k=v', '--output', 'json');
    assert.equal(e.code, 0, e.stderr);
    const data = JSON.parse(e.stdout) as { KeyName: string; KeyFingerprint: string; Tags: unknown };
    assert.equal(data.KeyName, 'i-ed');
    assert.equal(data.KeyFingerprint, (await cli(['keyfile', 'fingerprint', ed.path, '--as', 'imported'])).stdout.trim());
    assert.deepEqual(data.Tags, [{ Key: 'k', Value: 'v' }]);
  });

  it('refuses to send a private key', async () => {
    const r = await keys('import', 'i-private', '--public-key', rsa.path);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a private key; ImportKeyPair takes the public key only\. Extract it with: ec2lite keyfile public /);
    assert.match((await keys('show', 'i-private')).stderr, /InvalidKeyPair\.NotFound/);
  });

  it('server errors: InvalidKey.Format for bad material, InvalidKeyPair.Duplicate', async () => {
    const bad = dir.file('bad.pub');
    writeFileSync(bad, 'ssh-rsa notbase64!!\n');
    const r = await keys('import', 'i-bad', '--public-key', bad);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: InvalidKey\.Format: /);
    const dup = await keys('import', 'i-rsa', '--public-key', `${rsa.path}.pub`);
    assert.deepEqual([dup.code, dup.stderr], [1, "error: InvalidKeyPair.Duplicate: The keypair 'i-rsa' already exists.\n"]);
  });

  it('usage: --public-key is required; a missing file is an error', async () => {
    const r = await keys('import', 'x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--public-key FILE is required/);
    const m = await keys('import', 'x', '--public-key', dir.file('absent.pub'));
    assert.deepEqual([m.code, m.stderr], [1, `error: cannot read '${dir.file('absent.pub')}': no such file\n`]);
  });
});

describe('ec2lite key-pairs list / show / delete', () => {
  const region = ['--region', 'eu-west-3'];
  let id: string;
  before(async () => {
    for (const name of ['zeta', 'alpha']) {
      const r = await keys('create', name, '-o', dir.file(`l-${name}.pem`), ...region, ...(name === 'alpha' ? ['--tag', 'env=prod'] : []));
      assert.equal(r.code, 0, r.stderr);
    }
    const out = await server.client({ region: 'eu-west-3' }).send(new CreateKeyPairCommand({ KeyName: 'by-sdk', KeyType: 'ed25519' }));
    id = out.KeyPairId!;
  });

  it('list: an aligned table sorted by name', async () => {
    const r = await keys('list', ...region);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +ID +TYPE +FINGERPRINT +CREATED +TAGS$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/ +/)[0]),
      ['alpha', 'by-sdk', 'zeta'],
    );
    // Columns line up: every row has its ID where the header's ID column starts.
    const col = lines[0]!.indexOf('ID');
    for (const l of lines.slice(1)) assert.match(l.slice(col), /^key-[0-9a-f]{17}  /);
    assert.match(lines[1]!, / env=prod$/);
    assert.match(lines[2]!, /^by-sdk +key-[0-9a-f]{17} +ed25519 +[A-Za-z0-9+/]{43}= +\d{4}-\d\d-\d\dT.* +-$/);
  });

  it('list --output json: the key pairs with ISO times; an empty region is []', async () => {
    const r = await keys('list', ...region, '--output', 'json');
    const data = JSON.parse(r.stdout) as { KeyName: string; KeyPairId: string; KeyType: string; CreateTime: string; Tags: unknown[] }[];
    assert.deepEqual(data.map((k) => k.KeyName), ['alpha', 'by-sdk', 'zeta']);
    assert.equal(data[1]!.KeyPairId, id);
    assert.equal(data[1]!.KeyType, 'ed25519');
    assert.ok(!Number.isNaN(Date.parse(data[0]!.CreateTime)));
    assert.deepEqual(data[0]!.Tags, [{ Key: 'env', Value: 'prod' }]);
    assert.deepEqual(JSON.parse((await keys('list', '--region', 'sa-east-1', '--output', 'json')).stdout), []);
    assert.equal((await keys('list', '--region', 'sa-east-1')).stdout, 'No key pairs.\n');
  });

  it('show by name and by ID, with the public key', async () => {
    const byName = await keys('show', 'by-sdk', ...region);
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, new RegExp(`^Name: +by-sdk\\nID: +${id}\\nType: +ed25519\\nFingerprint: +\\S+=\\nCreated: +\\S+\\nPublic key: +ssh-ed25519 AAAA\\S+ by-sdk\\n$`));
    const byId = await keys('show', id, ...region, '--output', 'json');
    const data = JSON.parse(byId.stdout) as { KeyName: string; PublicKey: string };
    assert.equal(data.KeyName, 'by-sdk');
    assert.match(data.PublicKey, /^ssh-ed25519 /);
  });

  it('show: a missing key pair (name or ID) is InvalidKeyPair.NotFound', async () => {
    const r = await keys('show', 'nope', ...region);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', "error: InvalidKeyPair.NotFound: The key pair 'nope' does not exist\n"]);
    const i = await keys('show', 'key-0123456789abcdef0', ...region);
    assert.equal(i.code, 1);
    assert.match(i.stderr, /^error: InvalidKeyPair\.NotFound: .*key-0123456789abcdef0/);
  });

  it('delete by name and by ID; deleting again is NotFound (not a silent success)', async () => {
    const byName = await keys('delete', 'zeta', ...region);
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, /^Deleted key pair 'zeta' \(key-[0-9a-f]{17}\)\.\n$/);
    const byId = await keys('delete', id, ...region, '--output', 'json');
    assert.deepEqual(JSON.parse(byId.stdout), { KeyName: 'by-sdk', KeyPairId: id, Deleted: true });
    assert.deepEqual(JSON.parse((await keys('list', ...region, '--output', 'json')).stdout).map((k: { KeyName: string }) => k.KeyName), ['alpha']);
    const again = await keys('delete', 'zeta', ...region);
    assert.deepEqual([again.code, again.stderr], [1, "error: InvalidKeyPair.NotFound: The key pair 'zeta' does not exist\n"]);
  });

  it('regions are separate: alpha is not in us-east-1', async () => {
    const names = (JSON.parse((await keys('list', '--output', 'json')).stdout) as { KeyName: string }[]).map((k) => k.KeyName);
    assert.ok(!names.includes('alpha'));
    assert.ok(names.includes('c-rsa'));
  });
});

describe('ec2lite key-pairs verify', () => {
  let rsaPub: { path: string; pub: Buffer };
  before(async () => {
    rsaPub = sshKeygen(dir.path, 'v-imp', 'rsa', 2048);
    assert.equal((await keys('import', 'v-imp', '--public-key', `${rsaPub.path}.pub`)).code, 0);
    for (const [name, extra] of [
      ['v-rsa', []],
      ['v-ppk', ['--format', 'ppk']],
      ['v-ed', ['--type', 'ed25519']],
    ] as const) {
      const r = await keys('create', name, '-o', dir.file(name), ...extra);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('a created RSA key: the SHA-1 PKCS#8 fingerprint and the public key match', async () => {
    const r = await keys('verify', 'v-rsa', dir.file('v-rsa'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Fingerprint: +matches: \S+ = SHA-1 of the PKCS#8 private key \(a key pair EC2 created\)$/m);
    assert.match(r.stdout, /^Public key: +matches$/m);
    assert.match(r.stdout, /^Result: +MATCH/m);
  });

  it('a created key saved as PPK, and the same key converted to PEM, both verify', async () => {
    assert.equal((await keys('verify', 'v-ppk', dir.file('v-ppk'))).code, 0);
    const pem = dir.file('v-ppk-converted.pem');
    assert.equal((await cli(['keyfile', 'convert', dir.file('v-ppk'), '--to', 'pem', '-o', pem])).code, 0);
    const r = await keys('verify', 'v-ppk', pem, '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { FingerprintMatch: string }).FingerprintMatch, 'created-rsa');
  });

  it('an imported RSA key: the MD5 SPKI fingerprint matches', async () => {
    const r = await keys('verify', 'v-imp', rsaPub.path, '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(data.Match, true);
    assert.equal(data.FingerprintMatch, 'imported-rsa');
    assert.equal(data.PublicKeyMatch, true);
    assert.equal(data.KeyFingerprint, (data.LocalFingerprints as Record<string, string>)['imported-rsa']);
  });

  it('an ED25519 key: the SHA-256 fingerprint matches', async () => {
    const r = await keys('verify', 'v-ed', dir.file('v-ed'), '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { FingerprintMatch: string }).FingerprintMatch, 'ed25519');
  });

  it('the wrong private key: NO MATCH and exit code 3', async () => {
    const r = await keys('verify', 'v-rsa', rsaPub.path);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^Fingerprint: +no match: /m);
    assert.match(r.stdout, /^Public key: +differs$/m);
    assert.match(r.stdout, /^Result: +NO MATCH/m);
    const j = await keys('verify', 'v-ed', dir.file('v-rsa'), '--output', 'json');
    assert.equal(j.code, 3);
    const data = JSON.parse(j.stdout) as Record<string, unknown>;
    assert.deepEqual([data.Match, data.FingerprintMatch, data.PublicKeyMatch], [false, null, false]);
  });

  it('errors: missing key pair (1), unprotected key file (1), missing argument (2)', async () => {
    const nf = await keys('verify', 'v-none', dir.file('v-rsa'));
    assert.deepEqual([nf.code, nf.stderr], [1, "error: InvalidKeyPair.NotFound: The key pair 'v-none' does not exist\n"]);
    const open = dir.file('v-open.pem');
    writeFileSync(open, readFileSync(dir.file('v-rsa')));
    chmodSync(open, 0o644);
    const perm = await keys('verify', 'v-rsa', open);
    assert.equal(perm.code, 1);
    assert.match(perm.stderr, /too open[\s\S]*chmod 400/);
    assert.equal((await keys('verify', 'v-rsa')).code, 2);
  });
});

describe('ec2lite key-pairs: connection, options, child process', () => {
  it('connection refused: a clear message and exit 1', async () => {
    const r = await cli(['key-pairs', 'list', '--endpoint', 'http://127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cannot connect to http:\/\/127\.0\.0\.1:1: connection refused \(is 'ec2lite serve' running\?/);
  });

  it('bad --endpoint and --output are usage errors', async () => {
    assert.equal((await cli(['key-pairs', 'list', '--endpoint', 'not a url'])).code, 2);
    assert.equal((await cli(['key-pairs', 'list', '--endpoint', 'ftp://x'])).code, 2);
    const o = await keys('list', '--output', 'yaml');
    assert.equal(o.code, 2);
    assert.match(o.stderr, /--output must be one of table, json/);
  });

  it('a profile supplies credentials and region; a missing profile is an error', async () => {
    const config = dir.file('aws-config');
    const creds = dir.file('aws-credentials');
    writeFileSync(config, '[profile lab]\nregion = ap-northeast-2\n');
    writeFileSync(creds, '[lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = labsecret\n');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir.path,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: creds,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const c = await spawnCli(['key-pairs', 'create', 'in-lab', '-o', dir.file('in-lab.pem'), '--profile', 'lab', '--endpoint', server.url], { env });
    assert.equal(c.code, 0, c.stderr);
    // It went to ap-northeast-2 (the profile's region).
    assert.equal((await keys('show', 'in-lab', '--region', 'ap-northeast-2')).code, 0);
    assert.equal((await keys('show', 'in-lab')).code, 1);
    const missing = await spawnCli(['key-pairs', 'list', '--profile', 'absent', '--endpoint', server.url], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: /);
  });

  it('the real binary: exit codes 0, 1, 2 and 3 from a child process', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, EC2LITE_ENDPOINT: server.url, AWS_EC2_METADATA_DISABLED: 'true' };
    const ok = await spawnCli(['key-pairs', 'list', '--output', 'json'], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(Array.isArray(JSON.parse(ok.stdout)));
    const nf = await spawnCli(['key-pairs', 'show', 'no-such-key'], { env });
    assert.deepEqual([nf.code, nf.stderr], [1, "error: InvalidKeyPair.NotFound: The key pair 'no-such-key' does not exist\n"]);
    assert.equal((await spawnCli(['key-pairs', 'frobnicate'], { env })).code, 2);
    const v = await spawnCli(['key-pairs', 'verify', 'v-ed', dir.file('v-rsa')], { env });
    assert.equal(v.code, 3, v.stderr);
  });
});
