// Two `ec2lite serve` processes on one PostgreSQL database, as behind a load balancer: every rule
// holds across them (uniqueness, the key pair limit) and each sees what the other wrote.
// Emulator-only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DescribeKeyPairsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError } from '../helpers/server.js';
import { engines, freshSchemaUrl } from '../helpers/store-engines.js';
import { startServeNode, stopServeNode, type ServeNode as Node } from '../helpers/serve-node.js';

const postgres = engines().find((e) => e.name === 'postgres')!;
const LIMIT = 12;

const startNode = (database: string): Promise<Node> =>
  startServeNode(database, { args: ['--key-pair-limit', String(LIMIT)], env: { EC2LITE_RSA_POOL_SIZE: '2' } });
const stopNode = (node: Node | undefined) => stopServeNode(node);

describe('two ec2lite serve processes on one PostgreSQL database', { skip: postgres.skip, timeout: 120_000 }, () => {
  let a: Node;
  let b: Node;
  const clients: EC2Client[] = [];
  const client = (node: Node, region = 'us-east-1') => {
    const c = new EC2Client({
      endpoint: node.url,
      region,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    // Both start at once on an empty schema: their migrations race (under the advisory lock).
    const database = await freshSchemaUrl();
    [a, b] = await Promise.all([startNode(database), startNode(database)]);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([stopNode(a), stopNode(b)]);
  });

  it('runs as two processes with their own addresses', () => {
    assert.notEqual(a.url, b.url);
    assert.notEqual(a.child.pid, b.child.pid);
  });

  it('50 concurrent creates of one name spread across both nodes: exactly one succeeds', async () => {
    const nodes = [client(a), client(b)];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        nodes[i % 2]!.send(new CreateKeyPairCommand({ KeyName: 'race', KeyType: i % 10 === 0 ? 'rsa' : 'ed25519' })),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(results.length - failed.length, 1);
    assert.deepEqual(new Set(failed.map((f) => (f.reason as Error).name)), new Set(['InvalidKeyPair.Duplicate']));
    for (const c of nodes) {
      const d = await c.send(new DescribeKeyPairsCommand({ KeyNames: ['race'] }));
      assert.equal(d.KeyPairs!.length, 1);
    }
  });

  it(`clients racing past the limit (${LIMIT}) through both nodes: exactly the limit exists`, async () => {
    const region = 'eu-west-1';
    const nodes = [client(a, region), client(b, region)];
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => nodes[i % 2]!.send(new CreateKeyPairCommand({ KeyName: `limit-${i}`, KeyType: 'ed25519' }))),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(results.length - failed.length, LIMIT);
    assert.deepEqual(new Set(failed.map((f) => (f.reason as Error).name)), new Set(['KeyPairLimitExceeded']));
    for (const c of nodes) assert.equal((await c.send(new DescribeKeyPairsCommand({}))).KeyPairs!.length, LIMIT);
  });

  it('a key pair created on one node is described, tagged and deleted on the other', async () => {
    const region = 'ap-southeast-2';
    const onA = client(a, region);
    const onB = client(b, region);
    const created = await onA.send(new CreateKeyPairCommand({ KeyName: 'shared', KeyType: 'ed25519' }));
    const seen = await onB.send(new DescribeKeyPairsCommand({ KeyPairIds: [created.KeyPairId!], IncludePublicKey: true }));
    assert.equal(seen.KeyPairs!.length, 1);
    assert.equal(seen.KeyPairs![0]!.KeyName, 'shared');
    assert.equal(seen.KeyPairs![0]!.KeyFingerprint, created.KeyFingerprint);
    assert.match(seen.KeyPairs![0]!.PublicKey!, /^ssh-ed25519 /);

    await onB.send(new CreateTagsCommand({ Resources: [created.KeyPairId!], Tags: [{ Key: 'node', Value: 'b' }] }));
    const tagged = await onA.send(new DescribeKeyPairsCommand({ KeyNames: ['shared'] }));
    assert.deepEqual(tagged.KeyPairs![0]!.Tags, [{ Key: 'node', Value: 'b' }]);

    await onB.send(new DeleteKeyPairCommand({ KeyPairId: created.KeyPairId! }));
    const gone = await awsError(() => onA.send(new DescribeKeyPairsCommand({ KeyNames: ['shared'] })));
    assert.equal(gone.name, 'InvalidKeyPair.NotFound');
    assert.equal((await onA.send(new DescribeKeyPairsCommand({}))).KeyPairs!.length, 0);
  });

  it('neither node logged an internal error', () => {
    assert.doesNotMatch(a.stderr() + b.stderr(), /internal error/i);
  });
});
