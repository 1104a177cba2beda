import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, CreateTagsCommand, DeleteTagsCommand, DescribeKeyPairsCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let id = '';
before(async () => {
  server = await startTestServer();
  id = (await server.client().send(new CreateKeyPairCommand({ KeyName: 'tag-me', KeyType: 'ed25519' }))).KeyPairId!;
});
after(() => server.close());

const tagsOf = async () => (await server.client().send(new DescribeKeyPairsCommand({ KeyPairIds: [id] }))).KeyPairs![0]!.Tags;

describe('CreateTags / DeleteTags / DescribeTags on key pairs', () => {
  it('adds and overwrites tags', async () => {
    await server.client().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await server.client().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'one' }] }));
    assert.deepEqual(await tagsOf(), [{ Key: 'a', Value: 'one' }, { Key: 'b', Value: '2' }]);
  });

  it('describes tags with resource type key-pair and filters', async () => {
    const all = await server.client().send(new DescribeTagsCommand({}));
    assert.deepEqual(all.Tags, [
      { ResourceId: id, ResourceType: 'key-pair', Key: 'a', Value: 'one' },
      { ResourceId: id, ResourceType: 'key-pair', Key: 'b', Value: '2' },
    ]);
    const byKey = await server.client().send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['b'] }] }));
    assert.equal(byKey.Tags!.length, 1);
    const byType = await server.client().send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['instance'] }] }));
    assert.deepEqual(byType.Tags, []);
    const bad = await awsError(() => server.client().send(new DescribeTagsCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })));
    assert.equal(bad.name, 'InvalidParameterValue');
  });

  it('paginates DescribeTags with MaxResults and NextToken', async () => {
    const tags = Array.from({ length: 7 }, (_, i) => ({ Key: `p${i}`, Value: String(i) }));
    await server.client().send(new CreateTagsCommand({ Resources: [id], Tags: tags }));
    const first = await server.client().send(new DescribeTagsCommand({ MaxResults: 5 }));
    assert.equal(first.Tags!.length, 5);
    assert.ok(first.NextToken);
    const second = await server.client().send(new DescribeTagsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    assert.equal(second.Tags!.length, 4);
    assert.equal(second.NextToken, undefined);
    await server.client().send(new DeleteTagsCommand({ Resources: [id], Tags: tags.map((t) => ({ Key: t.Key })) }));
  });

  it('deletes by key, by key and value (only on a match), and all', async () => {
    await server.client().send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'wrong' }] }));
    assert.equal((await tagsOf())!.length, 2);
    await server.client().send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'one' }] }));
    assert.deepEqual(await tagsOf(), [{ Key: 'b', Value: '2' }]);
    await server.client().send(new DeleteTagsCommand({ Resources: [id] }));
    assert.deepEqual(await tagsOf(), []);
  });

  it('enforces tag rules: aws: prefix, lengths, 50 per resource', async () => {
    for (const Tags of [[{ Key: 'aws:x', Value: '' }], [{ Key: 'k'.repeat(128), Value: '' }], [{ Key: 'k', Value: 'v'.repeat(257) }]]) {
      const e = await awsError(() => server.client().send(new CreateTagsCommand({ Resources: [id], Tags })));
      assert.equal(e.name, 'InvalidParameterValue');
    }
    await server.client().send(
      new CreateTagsCommand({ Resources: [id], Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `t${i}`, Value: '' })) }),
    );
    const e = await awsError(() => server.client().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'one-more', Value: '' }] })));
    assert.equal(e.name, 'TagLimitExceeded');
    assert.equal((await tagsOf())!.length, 50);
    await server.client().send(new DeleteTagsCommand({ Resources: [id] }));
  });

  it('fails for missing or malformed resource ids and missing parameters', async () => {
    const missing = await awsError(() =>
      server.client().send(new CreateTagsCommand({ Resources: ['key-0bbbbbbbbbbbbbbbb'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    assert.equal(missing.name, 'InvalidKeyPair.NotFound');
    const malformed = await awsError(() => server.client().send(new CreateTagsCommand({ Resources: ['bogus'], Tags: [{ Key: 'a', Value: 'b' }] })));
    assert.equal(malformed.name, 'InvalidID');
    const noTags = await awsError(() => server.client().send(new CreateTagsCommand({ Resources: [id], Tags: [] })));
    assert.equal(noTags.name, 'MissingParameter');
  });
});
