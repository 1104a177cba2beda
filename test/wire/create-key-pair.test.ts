import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { CreateKeyPairCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, V, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

describe('CreateKeyPair: parameters', () => {
  it('creates an RSA 2048 key by default, PKCS#1 PEM, id key-+17 hex, SHA-1 fingerprint of PKCS#8', async () => {
    const ec2 = server.client();
    const out = await ec2.send(new CreateKeyPairCommand({ KeyName: 'default-rsa' }));
    assert.match(out.KeyPairId!, /^key-[0-9a-f]{17}$/);
    assert.equal(out.KeyName, 'default-rsa');
    assert.match(out.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END RSA PRIVATE KEY-----$/);
    for (const line of out.KeyMaterial!.split('\n').slice(1, -2)) assert.equal(line.length, 64);
    const key = createPrivateKey(out.KeyMaterial!);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    const expected = createHash('sha1').update(pkcs8).digest('hex').match(/../g)!.join(':');
    assert.equal(out.KeyFingerprint, expected);
    assert.equal(out.Tags, undefined);
  });

  it('creates an ED25519 key in OpenSSH format with a base64 SHA-256 fingerprint', async () => {
    const out = await server.client().send(new CreateKeyPairCommand({ KeyName: 'ed', KeyType: 'ed25519' }));
    assert.match(out.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    assert.match(out.KeyFingerprint!, /^[A-Za-z0-9+/]{43}=$/);
    const described = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['ed'], IncludePublicKey: true }));
    const blob = Buffer.from(described.KeyPairs![0]!.PublicKey!.split(' ')[1]!, 'base64');
    assert.equal(out.KeyFingerprint, createHash('sha256').update(blob).digest('base64'));
    assert.equal(described.KeyPairs![0]!.KeyType, 'ed25519');
  });

  it('returns PuTTY format for KeyFormat=ppk (RSA and ED25519)', async () => {
    const rsa = await server.client().send(new CreateKeyPairCommand({ KeyName: 'ppk-rsa', KeyFormat: 'ppk' }));
    assert.match(rsa.KeyMaterial!, /^PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: ppk-rsa\n/);
    const ed = await server.client().send(new CreateKeyPairCommand({ KeyName: 'ppk-ed', KeyFormat: 'ppk', KeyType: 'ed25519' }));
    assert.match(ed.KeyMaterial!, /^PuTTY-User-Key-File-2: ssh-ed25519\n/);
    assert.match(ed.KeyMaterial!, /Private-MAC: [0-9a-f]{40}\n?$/);
  });

  it('applies TagSpecifications of type key-pair and returns them', async () => {
    const out = await server.client().send(
      new CreateKeyPairCommand({
        KeyName: 'tagged',
        TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'purpose', Value: 'production' }, { Key: 'team', Value: '' }] }],
      }),
    );
    assert.deepEqual(out.Tags, [
      { Key: 'purpose', Value: 'production' },
      { Key: 'team', Value: '' },
    ]);
    const d = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['tagged'] }));
    assert.deepEqual(d.KeyPairs![0]!.Tags, out.Tags);
  });

  it('accepts names of 255 ASCII characters, with spaces and punctuation inside', async () => {
    const name = 'a b-c_d.e/f:g@h' + 'x'.repeat(240);
    const out = await server.client().send(new CreateKeyPairCommand({ KeyName: name, KeyType: 'ed25519' }));
    assert.equal(out.KeyName, name);
  });

  it('writes the raw XML as EC2 does', async () => {
    const res = await server.raw({ Action: 'CreateKeyPair', Version: V, KeyName: 'raw-xml', KeyType: 'ed25519' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml;charset=UTF-8');
    assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CreateKeyPairResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/">\n    <requestId>[0-9a-f-]{36}<\/requestId>/);
    assert.match(res.body, /<keyName>raw-xml<\/keyName>/);
    assert.doesNotMatch(res.body, /<tagSet/);
  });
});

describe('CreateKeyPair: validation', () => {
  it('requires KeyName', async () => {
    const res = await server.raw({ Action: 'CreateKeyPair', Version: V });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter KeyName<\/Message>/);
    const empty = await server.raw({ Action: 'CreateKeyPair', Version: V, KeyName: '' });
    assert.match(empty.body, /<Code>MissingParameter<\/Code>/);
  });

  it('rejects a KeyType or KeyFormat outside the enum', async () => {
    const e = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'k', KeyType: 'dsa' as never })));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.status, 400);
    assert.equal(
      e.message,
      "1 validation error detected: Value 'dsa' at 'keyType' failed to satisfy constraint: Member must satisfy enum value set: [rsa, ed25519]",
    );
    const f = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'k', KeyFormat: 'der' as never })));
    assert.match(f.message, /Value 'der' at 'keyFormat'.*\[pem, ppk\]/);
  });

  it('rejects names over 255 characters, non-ASCII names and padded names', async () => {
    const long = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'x'.repeat(256) })));
    assert.equal(long.name, 'InvalidParameterValue');
    assert.match(long.message, /Length exceeds maximum of 255\.$/);
    const uni = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'clé' })));
    assert.equal(uni.name, 'InvalidParameterValue');
    const pad = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: ' padded ' })));
    assert.equal(pad.name, 'InvalidParameterValue');
  });

  it('rejects tag specifications for another resource type or without one', async () => {
    const e = await awsError(() =>
      server.client().send(new CreateKeyPairCommand({ KeyName: 'k', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] })),
    );
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, "'instance' is not a valid taggable resource type for this operation.");
    const none = await server.raw({ Action: 'CreateKeyPair', Version: V, KeyName: 'k', 'TagSpecification.1.Tag.1.Key': 'a' });
    assert.match(none.body, /<Code>InvalidParameterValue<\/Code><Message>Tag specification resource type must have a value<\/Message>/);
  });

  it('rejects bad tags: aws: prefix, long keys and values, more than 50', async () => {
    const spec = (Tags: { Key: string; Value: string }[]) => [{ ResourceType: 'key-pair' as const, Tags }];
    for (const tags of [[{ Key: 'aws:x', Value: 'v' }], [{ Key: 'k'.repeat(128), Value: 'v' }], [{ Key: 'k', Value: 'v'.repeat(257) }]]) {
      const e = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'bad-tags', TagSpecifications: spec(tags) })));
      assert.equal(e.name, 'InvalidParameterValue');
    }
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const e = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'bad-tags', TagSpecifications: spec(many) })));
    assert.equal(e.name, 'TagLimitExceeded');
    const d = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['bad-tags'] })));
    assert.equal(d.name, 'InvalidKeyPair.NotFound');
  });

  it('answers DryRun with DryRunOperation (412) and creates nothing', async () => {
    const e = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'dry', DryRun: true })));
    assert.equal(e.name, 'DryRunOperation');
    assert.equal(e.status, 412);
    assert.equal(e.message, 'Request would have succeeded, but DryRun flag is set.');
    const d = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['dry'] })));
    assert.equal(d.name, 'InvalidKeyPair.NotFound');
  });

  it('rejects unknown parameters', async () => {
    const res = await server.raw({ Action: 'CreateKeyPair', Version: V, KeyName: 'k', Bogus: '1' });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>UnknownParameter<\/Code><Message>The parameter Bogus is not recognized<\/Message>/);
  });
});

describe('CreateKeyPair: duplicates', () => {
  it('refuses an existing name with InvalidKeyPair.Duplicate', async () => {
    await server.client().send(new CreateKeyPairCommand({ KeyName: 'dup', KeyType: 'ed25519' }));
    const e = await awsError(() => server.client().send(new CreateKeyPairCommand({ KeyName: 'dup' })));
    assert.equal(e.name, 'InvalidKeyPair.Duplicate');
    assert.equal(e.message, "The keypair 'dup' already exists.");
    assert.equal(e.status, 400);
  });

  it('treats names as case-sensitive', async () => {
    await server.client().send(new CreateKeyPairCommand({ KeyName: 'Case', KeyType: 'ed25519' }));
    const out = await server.client().send(new CreateKeyPairCommand({ KeyName: 'case', KeyType: 'ed25519' }));
    assert.equal(out.KeyName, 'case');
  });
});

describe('CreateKeyPair: behaviour', () => {
  it('never returns the same RSA key twice', async () => {
    const a = await server.client().send(new CreateKeyPairCommand({ KeyName: 'uniq-a' }));
    const b = await server.client().send(new CreateKeyPairCommand({ KeyName: 'uniq-b' }));
    assert.notEqual(a.KeyFingerprint, b.KeyFingerprint);
    const pubA = createPublicKey(a.KeyMaterial!).export({ type: 'spki', format: 'der' });
    const pubB = createPublicKey(b.KeyMaterial!).export({ type: 'spki', format: 'der' });
    assert.notDeepEqual(pubA, pubB);
  });

  it('stores the public key as "<type> <base64> <key name>"', async () => {
    const out = await server.client().send(new CreateKeyPairCommand({ KeyName: 'pub-form' }));
    const d = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['pub-form'], IncludePublicKey: true }));
    const [type, b64, name] = d.KeyPairs![0]!.PublicKey!.split(' ');
    assert.equal(type, 'ssh-rsa');
    assert.equal(name, 'pub-form');
    const jwk = createPublicKey(out.KeyMaterial!).export({ format: 'jwk' });
    assert.ok(Buffer.from(b64!, 'base64').includes(Buffer.from(jwk.n!, 'base64url')));
  });
});
