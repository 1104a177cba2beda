// Tenancy: two accounts × two regions each create a key pair with the same name. Lists,
// describes by id, deletes and tag calls never reach another account's or region's objects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CreateKeyPairCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DeleteTagsCommand,
  DescribeKeyPairsCommand,
  DescribeTagsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tools.js';

const ACCOUNTS = [
  { accessKeyId: 'AKIATENANTA000000001', secretAccessKey: 'secret-a', accountId: '111111111111' },
  { accessKeyId: 'AKIATENANTB000000002', secretAccessKey: 'secret-b', accountId: '222222222222' },
];
const REGIONS = ['us-east-1', 'eu-west-3'];

interface Tenant { label: string; client: EC2Client; keyPairId: string }

let server: TestServer;
const tenants: Tenant[] = [];
const dir = tempDir();

before(async () => {
  const credentialsFile = join(dir.path, 'credentials.json');
  writeCredentials(credentialsFile, ACCOUNTS);
  server = await startTestServer({ auth: 'strict', credentialsFile });
  for (const a of ACCOUNTS) {
    for (const region of REGIONS) {
      const client = new EC2Client({ endpoint: server.url, region, credentials: a, maxAttempts: 1 });
      const created = await client.send(new CreateKeyPairCommand({ KeyName: 'shared', KeyType: 'ed25519' }));
      tenants.push({ label: `${a.accountId}/${region}`, client, keyPairId: created.KeyPairId! });
    }
  }
});
after(async () => {
  for (const t of tenants) t.client.destroy();
  await server.close();
  dir.cleanup();
});

const others = (t: Tenant) => tenants.filter((o) => o !== t);

describe('tenancy: accounts and regions are isolated', () => {
  it('the same key name exists once in each of the four account/region pairs', () => {
    assert.equal(tenants.length, 4);
    assert.equal(new Set(tenants.map((t) => t.keyPairId)).size, 4);
  });

  it('each tenant lists only its own key pair', async () => {
    for (const t of tenants) {
      const { KeyPairs } = await t.client.send(new DescribeKeyPairsCommand({}));
      assert.deepEqual(KeyPairs?.map((k) => k.KeyPairId), [t.keyPairId], t.label);
    }
  });

  it("another tenant's key pair id answers as not found, alone or with an own id", async () => {
    for (const t of tenants) {
      for (const o of others(t)) {
        const err = await awsError(() => t.client.send(new DescribeKeyPairsCommand({ KeyPairIds: [o.keyPairId] })));
        assert.equal(err.name, 'InvalidKeyPair.NotFound', `${t.label} sees ${o.label}`);
        const both = await awsError(() => t.client.send(new DescribeKeyPairsCommand({ KeyPairIds: [t.keyPairId, o.keyPairId] })));
        assert.equal(both.name, 'InvalidKeyPair.NotFound');
      }
    }
  });

  it("tags on one tenant's key are invisible to, and untouchable by, the others", async () => {
    const [a, ...rest] = tenants as [Tenant, ...Tenant[]];
    await a.client.send(new CreateTagsCommand({ Resources: [a.keyPairId], Tags: [{ Key: 'owner', Value: a.label }] }));
    for (const o of rest) {
      const err = await awsError(() => o.client.send(new CreateTagsCommand({ Resources: [a.keyPairId], Tags: [{ Key: 'owner', Value: 'intruder' }] })));
      assert.equal(err.name, 'InvalidKeyPair.NotFound', o.label);
      // DeleteTags on a foreign id must not remove anything, whatever it answers.
      await o.client.send(new DeleteTagsCommand({ Resources: [a.keyPairId], Tags: [{ Key: 'owner' }] })).catch(() => {});
      const { Tags } = await o.client.send(new DescribeTagsCommand({}));
      assert.deepEqual(Tags, [], `${o.label} sees foreign tags`);
      const { KeyPairs } = await o.client.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:owner', Values: [a.label] }] }));
      assert.deepEqual(KeyPairs, []);
    }
    const { Tags } = await a.client.send(new DescribeTagsCommand({}));
    assert.deepEqual(Tags?.map((t) => [t.ResourceId, t.Key, t.Value]), [[a.keyPairId, 'owner', a.label]]);
  });

  it('deletes by id or by name never cross over', async () => {
    const [a, b, c, d] = tenants as [Tenant, Tenant, Tenant, Tenant];
    // By a foreign id: not found, and the owner's key survives.
    const err = await awsError(() => b.client.send(new DeleteKeyPairCommand({ KeyPairId: a.keyPairId })));
    assert.equal(err.name, 'InvalidKeyPair.NotFound');
    // By name: removes only the caller's own 'shared'.
    await b.client.send(new DeleteKeyPairCommand({ KeyName: 'shared' }));
    assert.deepEqual((await b.client.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
    for (const t of [a, c, d]) {
      const { KeyPairs } = await t.client.send(new DescribeKeyPairsCommand({ KeyNames: ['shared'] }));
      assert.deepEqual(KeyPairs?.map((k) => k.KeyPairId), [t.keyPairId], t.label);
    }
  });
});

describe('tenancy in open mode: a 12-digit access key id is the account', () => {
  it('two key ids, same name, separate key pairs; other ids share 000000000000', async () => {
    const open = await startTestServer();
    try {
      assert.equal(open.app.auth, 'open');
      const names = async (accessKeyId: string) =>
        (await open.client({ accessKeyId }).send(new DescribeKeyPairsCommand({}))).KeyPairs?.map((k) => k.KeyPairId);
      const a = await open.client({ accessKeyId: '333333333333' }).send(new CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }));
      const b = await open.client({ accessKeyId: '444444444444' }).send(new CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }));
      assert.deepEqual(await names('333333333333'), [a.KeyPairId]);
      assert.deepEqual(await names('444444444444'), [b.KeyPairId]);
      const c = await open.client({ accessKeyId: 'AKIDEXAMPLE' }).send(new CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }));
      assert.deepEqual(await names('test'), [c.KeyPairId]);
    } finally {
      await open.close();
    }
  });
});
