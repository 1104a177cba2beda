import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand, type DescribeKeyPairsCommandInput } from '@aws-sdk/client-ec2';
import { formatAmzDate } from '../../src/protocol/sigv4.js';
import { awsError, startTestServer, V, type TestServer } from '../helpers/server.js';

let server: TestServer;
const created: Record<string, { id: string; fp: string }> = {};
before(async () => {
  server = await startTestServer();
  const ec2 = server.client();
  const specs: [string, 'rsa' | 'ed25519', Record<string, string>][] = [
    ['alpha', 'rsa', { Owner: 'TeamA', env: 'prod' }],
    ['beta', 'ed25519', { Owner: 'TeamB' }],
    ['gamma*star', 'ed25519', {}],
    ['Dave-key', 'ed25519', { Owner: 'TeamA' }],
  ];
  for (const [name, type, tags] of specs) {
    const out = await ec2.send(
      new CreateKeyPairCommand({
        KeyName: name,
        KeyType: type,
        TagSpecifications: Object.keys(tags).length
          ? [{ ResourceType: 'key-pair', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }]
          : undefined,
      }),
    );
    created[name] = { id: out.KeyPairId!, fp: out.KeyFingerprint! };
  }
});
after(() => server.close());

const names = async (input: DescribeKeyPairsCommandInput) =>
  ((await server.client().send(new DescribeKeyPairsCommand(input))).KeyPairs ?? []).map((k) => k.KeyName);

describe('DescribeKeyPairs: listing', () => {
  it('lists every key in creation order with all fields, public key only on request', async () => {
    const out = await server.client().send(new DescribeKeyPairsCommand({}));
    assert.deepEqual(out.KeyPairs!.map((k) => k.KeyName), ['alpha', 'beta', 'gamma*star', 'Dave-key']);
    const alpha = out.KeyPairs![0]!;
    assert.equal(alpha.KeyPairId, created.alpha!.id);
    assert.equal(alpha.KeyFingerprint, created.alpha!.fp);
    assert.equal(alpha.KeyType, 'rsa');
    assert.ok(alpha.CreateTime instanceof Date && Date.now() - alpha.CreateTime.getTime() < 600_000);
    assert.equal(alpha.PublicKey, undefined);
    assert.deepEqual(out.KeyPairs![2]!.Tags, []);
    const withKey = await server.client().send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
    assert.match(withKey.KeyPairs![0]!.PublicKey!, /^ssh-rsa AAAAB3NzaC1yc2E\S+ alpha$/);
  });

  it('writes an empty tagSet and millisecond createTime in the XML', async () => {
    const res = await server.raw({ Action: 'DescribeKeyPairs', Version: V, 'KeyName.1': 'gamma*star' });
    assert.match(res.body, /<tagSet\/>/);
    assert.match(res.body, /<createTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/createTime>/);
    assert.match(res.body, /<keySet>\n        <item>/);
  });

  it('describes by names and by ids', async () => {
    assert.deepEqual(await names({ KeyNames: ['beta', 'alpha'] }), ['alpha', 'beta']);
    assert.deepEqual(await names({ KeyPairIds: [created.beta!.id] }), ['beta']);
  });

  it('fails with InvalidKeyPair.NotFound for any missing name or id, even next to present ones', async () => {
    const e = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['alpha', 'nope'] })));
    assert.equal(e.name, 'InvalidKeyPair.NotFound');
    assert.equal(e.message, "The key pair 'nope' does not exist");
    assert.equal(e.status, 400);
    // Byte-exact, as EC2 writes it: apostrophes are not escaped in the XML.
    const raw = await server.raw({ Action: 'DescribeKeyPairs', Version: V, 'KeyName.1': 'nope' });
    assert.match(raw.body, /<Message>The key pair 'nope' does not exist<\/Message>/);
    const i = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyPairIds: ['key-0123456789abcdef0'] })));
    assert.equal(i.name, 'InvalidKeyPair.NotFound');
    assert.equal(i.message, "The key pair ID 'key-0123456789abcdef0' does not exist");
  });
});

describe('DescribeKeyPairs: filters', () => {
  const f = (Name: string, ...Values: string[]) => ({ Name, Values });

  it('filters by key-name with * and ? wildcards and \\ escapes', async () => {
    assert.deepEqual(await names({ Filters: [f('key-name', '*Dave*')] }), ['Dave-key']);
    assert.deepEqual(await names({ Filters: [f('key-name', 'bet?')] }), ['beta']);
    assert.deepEqual(await names({ Filters: [f('key-name', 'gamma\\*star')] }), ['gamma*star']);
    assert.deepEqual(await names({ Filters: [f('key-name', 'gamma\\*')] }), []);
    assert.deepEqual(await names({ Filters: [f('key-name', 'ALPHA')] }), [], 'values are case-sensitive');
  });

  it('ORs values within a filter and ANDs filters', async () => {
    assert.deepEqual(await names({ Filters: [f('key-name', 'alpha', 'beta')] }), ['alpha', 'beta']);
    assert.deepEqual(await names({ Filters: [f('key-name', 'alpha', 'beta'), f('key-type', 'ed25519')] }), ['beta']);
  });

  it('filters by key-pair-id, fingerprint and key-type', async () => {
    assert.deepEqual(await names({ Filters: [f('key-pair-id', created['gamma*star']!.id)] }), ['gamma*star']);
    assert.deepEqual(await names({ Filters: [f('fingerprint', created.alpha!.fp)] }), ['alpha']);
    assert.deepEqual(await names({ Filters: [f('key-type', 'rsa')] }), ['alpha']);
  });

  it('filters by tag:<key> and tag-key', async () => {
    assert.deepEqual(await names({ Filters: [f('tag:Owner', 'TeamA')] }), ['alpha', 'Dave-key']);
    assert.deepEqual(await names({ Filters: [f('tag:Owner', 'TeamA', 'TeamB')] }), ['alpha', 'beta', 'Dave-key']);
    assert.deepEqual(await names({ Filters: [f('tag-key', 'env')] }), ['alpha']);
    assert.deepEqual(await names({ Filters: [f('tag:owner', 'TeamA')] }), [], 'tag keys are case-sensitive');
  });

  it('combines names with filters', async () => {
    assert.deepEqual(await names({ KeyNames: ['alpha', 'beta'], Filters: [f('tag:Owner', 'TeamB')] }), ['beta']);
  });

  it('rejects an unknown filter name with InvalidParameterValue', async () => {
    const e = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ Filters: [f('owner-id', 'x')] })));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, "The filter 'owner-id' is invalid");
  });

  it('answers DryRun with 412', async () => {
    const e = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ DryRun: true })));
    assert.equal(e.name, 'DryRunOperation');
    assert.equal(e.status, 412);
  });
});

describe('DescribeKeyPairs: a large answer', () => {
  it('arrives whole when it is sent in pieces (chunked): 1,500 keys through the SDK and raw HTTP', async () => {
    const big = await startTestServer();
    try {
      const ec2 = big.client({ region: 'eu-north-1' });
      const material = Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host\n');
      for (let i = 0; i < 1500; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, j) => ec2.send(new ImportKeyPairCommand({ KeyName: `big-${i + j}`, PublicKeyMaterial: material }))));
      }
      const out = await ec2.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
      assert.equal(out.KeyPairs!.length, 1500);
      assert.deepEqual(new Set(out.KeyPairs!.map((k) => k.KeyName)).size, 1500);
      assert.ok(out.KeyPairs!.every((k) => k.PublicKey?.startsWith('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ')));
      const amzDate = formatAmzDate(new Date());
      const res = await fetch(big.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': amzDate, authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${amzDate.slice(0, 8)}/eu-north-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}` },
        body: `Action=DescribeKeyPairs&Version=${V}&IncludePublicKey=true`,
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      const body = await res.text();
      assert.equal(body.split('<item>').length - 1, 1500);
      assert.ok(body.endsWith('</DescribeKeyPairsResponse>'));
    } finally {
      await big.close();
    }
  });
});
