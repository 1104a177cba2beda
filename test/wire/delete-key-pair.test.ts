import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, DeleteKeyPairCommand, DescribeKeyPairsCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, V, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const create = (KeyName: string) =>
  server.client().send(
    new CreateKeyPairCommand({ KeyName, KeyType: 'ed25519', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'k', Value: 'v' }] }] }),
  );

describe('DeleteKeyPair', () => {
  it('deletes by name and returns true with the id', async () => {
    const { KeyPairId } = await create('by-name');
    const out = await server.client().send(new DeleteKeyPairCommand({ KeyName: 'by-name' }));
    assert.equal(out.Return, true);
    assert.equal(out.KeyPairId, KeyPairId);
    const e = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['by-name'] })));
    assert.equal(e.name, 'InvalidKeyPair.NotFound');
  });

  it('deletes by id, and the tags go with it', async () => {
    const { KeyPairId } = await create('by-id');
    const out = await server.client().send(new DeleteKeyPairCommand({ KeyPairId }));
    assert.equal(out.Return, true);
    assert.equal(out.KeyPairId, KeyPairId);
    const tags = await server.client().send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [KeyPairId!] }] }));
    assert.deepEqual(tags.Tags, []);
  });

  it('succeeds for a name that does not exist, as AWS does', async () => {
    const res = await server.raw({ Action: 'DeleteKeyPair', Version: V, KeyName: 'never-was' });
    assert.equal(res.status, 200);
    assert.match(res.body, /<return>true<\/return>/);
    assert.doesNotMatch(res.body, /<keyPairId>/);
  });

  it('fails for an id that does not exist', async () => {
    const e = await awsError(() => server.client().send(new DeleteKeyPairCommand({ KeyPairId: 'key-0aaaaaaaaaaaaaaaa' })));
    assert.equal(e.name, 'InvalidKeyPair.NotFound');
  });

  it('needs a name or an id', async () => {
    const res = await server.raw({ Action: 'DeleteKeyPair', Version: V });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>MissingParameter<\/Code>/);
  });

  it('frees the name for a new key pair', async () => {
    const first = await create('reuse');
    await server.client().send(new DeleteKeyPairCommand({ KeyName: 'reuse' }));
    const second = await create('reuse');
    assert.notEqual(second.KeyPairId, first.KeyPairId);
  });

  it('answers DryRun with 412 and keeps the key', async () => {
    await create('dry-del');
    const e = await awsError(() => server.client().send(new DeleteKeyPairCommand({ KeyName: 'dry-del', DryRun: true })));
    assert.equal(e.name, 'DryRunOperation');
    const d = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['dry-del'] }));
    assert.equal(d.KeyPairs!.length, 1);
  });
});
