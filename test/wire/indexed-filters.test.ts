// Filters with exact values are answered by the store's indexes (issue 25); wildcards, escapes and
// the other filters are matched in memory. Whichever path a filter takes, the answer must be the
// one the plain rule gives: each expectation here is computed from the unfiltered listing (or
// written out), through the SDK, on SQLite and (test/store/wire-on-postgres.test.ts) PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Filter,
  type KeyPairInfo,
} from '@aws-sdk/client-ec2';
import { generateKeyPairSync } from 'node:crypto';
import { opensshPublicKeyLine, sshPublicBlob } from '../../src/keys/index.js';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';

const f = (Name: string, ...Values: string[]): Filter => ({ Name, Values });

describe('DescribeKeyPairs: indexed filters give the same answers', () => {
  let server: TestServer;
  let ec2: EC2Client;
  let all: KeyPairInfo[];
  const KEYS = 1100; // more than two of the store's pages (500): matches on every page

  before(async () => {
    server = await startTestServer();
    ec2 = server.client({ region: 'eu-west-3' });
    // Two public keys shared by many key pairs (the same material), so a fingerprint selects several.
    const materials = [0, 1].map(() => Buffer.from(`${opensshPublicKeyLine(sshPublicBlob(generateKeyPairSync('ed25519').publicKey), 'me@host')}\n`));
    for (let i = 0; i < KEYS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, KEYS - i) }, (_, j) => {
          const n = i + j;
          const tags = [{ Key: 'team', Value: n % 3 === 0 ? 'web' : n % 3 === 1 ? 'data' : 'ops' }];
          if (n % 100 === 7) tags.push({ Key: 'rare', Value: `r${n}` });
          return ec2.send(
            new ImportKeyPairCommand({
              KeyName: n === 5 ? 'odd*name?' : `key-${n}`,
              PublicKeyMaterial: materials[n % 2],
              TagSpecifications: [{ ResourceType: 'key-pair', Tags: tags }],
            }),
          );
        }),
      );
    }
    all = (await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs!;
    assert.equal(all.length, KEYS);
  });
  after(() => server.close());

  const names = async (Filters: Filter[]) => ((await ec2.send(new DescribeKeyPairsCommand({ Filters }))).KeyPairs ?? []).map((k) => k.KeyName!);
  const tag = (k: KeyPairInfo, key: string) => k.Tags?.find((t) => t.Key === key)?.Value;
  const expected = (keep: (k: KeyPairInfo) => boolean) => all.filter(keep).map((k) => k.KeyName!);

  it('key-name: exact values, several, repeated and missing, in creation order', async () => {
    assert.deepEqual(await names([f('key-name', 'key-900', 'key-3', 'key-3', 'nope')]), ['key-3', 'key-900']);
    assert.deepEqual(await names([f('key-name', 'KEY-3')]), [], 'values are case-sensitive');
    assert.deepEqual(await names([f('key-name', 'odd*name?')]), ['odd*name?'], 'a wildcard value still matches the literal name');
    assert.deepEqual(await names([f('key-name', 'odd\\*name\\?')]), ['odd*name?'], 'escaped');
    assert.deepEqual(await names([f('key-name', 'key-10?')]), expected((k) => /^key-10\d?$/.test(k.KeyName!)));
    assert.deepEqual(await names([f('key-name', '*-109?')]), expected((k) => /^key-109\d?$/.test(k.KeyName!)));
  });

  it('fingerprint, key-pair-id and key-type, alone and together', async () => {
    const fp = all.find((k) => k.KeyName === 'key-1')!.KeyFingerprint!; // the odd keys' material
    const byFp = await names([f('fingerprint', fp)]);
    assert.deepEqual(byFp, expected((k) => k.KeyFingerprint === fp));
    assert.equal(byFp.length, KEYS / 2);
    assert.deepEqual(await names([f('key-pair-id', all[1050]!.KeyPairId!, all[2]!.KeyPairId!)]), [all[2]!.KeyName, all[1050]!.KeyName]);
    assert.deepEqual(await names([f('fingerprint', fp), f('key-name', 'key-1', 'key-2', 'key-999')]), ['key-1', 'key-999']);
    assert.deepEqual(await names([f('key-type', 'ed25519'), f('key-name', 'key-4')]), ['key-4']);
    assert.deepEqual(await names([f('key-type', 'rsa')]), []);
    assert.deepEqual(await names([f('fingerprint', fp.slice(0, 10) + '*')]), byFp, 'a wildcard fingerprint');
  });

  it('tag:<key> and tag-key, with several values, combined with fields and wildcards', async () => {
    assert.deepEqual(await names([f('tag:team', 'web')]), expected((k) => tag(k, 'team') === 'web'));
    assert.deepEqual(await names([f('tag:team', 'web', 'ops')]), expected((k) => tag(k, 'team') !== 'data'));
    assert.deepEqual(await names([f('tag:rare', 'r107', 'r1007', 'r8')]), ['key-107', 'key-1007']);
    assert.deepEqual(await names([f('tag-key', 'rare')]), expected((k) => tag(k, 'rare') !== undefined));
    assert.deepEqual(await names([f('tag:team', 'data'), f('tag-key', 'rare')]), expected((k) => tag(k, 'team') === 'data' && tag(k, 'rare') !== undefined));
    assert.deepEqual(await names([f('tag:team', 'w*')]), expected((k) => tag(k, 'team') === 'web'), 'a wildcard tag value');
    assert.deepEqual(await names([f('tag:team', 'web'), f('key-name', 'key-1??')]), expected((k) => tag(k, 'team') === 'web' && /^key-1\d{0,2}$/.test(k.KeyName!)));
    assert.deepEqual(await names([f('tag-value', 'r707')]), ['key-707'], 'tag-value stays in memory');
    assert.deepEqual(await names([f('tag:Team', 'web')]), [], 'tag keys are case-sensitive');
  });

  it('names and ids given with filters, and unknown filter names, as before', async () => {
    const out = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['key-3', 'key-4'], Filters: [f('tag:team', 'web')] }));
    assert.deepEqual(out.KeyPairs!.map((k) => k.KeyName), ['key-3']);
    const e = await awsError(() => ec2.send(new DescribeKeyPairsCommand({ Filters: [f('key-name', 'key-1'), f('owner-id', 'x')] })));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, "The filter 'owner-id' is invalid");
  });
});

describe('DescribeInstances: indexed filters give the same answers, page by page', () => {
  let server: TestServer;
  let ec2: EC2Client;
  const ids: string[] = [];

  before(async () => {
    server = await startTestServer();
    ec2 = server.client({ region: 'us-east-1' });
    const img = await images(ec2);
    for (const team of ['web', 'data', 'web']) {
      const r = await ec2.send(
        new RunInstancesCommand({ ImageId: img.al2023, MinCount: 5, MaxCount: 5, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: team }] }] }),
      );
      ids.push(...r.Instances!.map((i) => i.InstanceId!));
    }
    for (const id of ids) await waitForState(ec2, id, 'running');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [ids[1]!, ids[7]!, ids[12]!] }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [ids[3]!] }));
    for (const id of [ids[1]!, ids[7]!, ids[12]!]) await waitForState(ec2, id, 'stopped');
    await waitForState(ec2, ids[3]!, 'terminated');
    await ec2.send(new CreateTagsCommand({ Resources: [ids[2]!, ids[12]!], Tags: [{ Key: 'Name', Value: 'picked' }] }));
  });
  after(() => server.close());

  /** Every page of the answer (MaxResults, then NextToken), flattened in order, and the page count. */
  async function paged(Filters: Filter[], MaxResults?: number): Promise<{ ids: string[]; states: string[]; pages: number }> {
    const out = { ids: [] as string[], states: [] as string[], pages: 0 };
    let NextToken: string | undefined;
    do {
      const r = await ec2.send(new DescribeInstancesCommand({ Filters, MaxResults, NextToken }));
      out.pages++;
      for (const i of r.Reservations!.flatMap((x) => x.Instances!)) {
        out.ids.push(i.InstanceId!);
        out.states.push(i.State!.Name!);
      }
      NextToken = r.NextToken;
    } while (NextToken);
    return out;
  }

  it('instance-state-name, alone, with several values and with tags, with and without pages', async () => {
    const everything = await paged([]);
    assert.deepEqual(everything.ids, ids);
    const stateOf = new Map(everything.ids.map((id, i) => [id, everything.states[i]!]));
    const whose = (keep: (id: string, i: number) => boolean) => ids.filter(keep);
    const stopped = whose((id) => stateOf.get(id) === 'stopped');
    assert.deepEqual(stopped, [ids[1], ids[7], ids[12]]);
    assert.deepEqual((await paged([f('instance-state-name', 'stopped')])).ids, stopped);
    assert.deepEqual((await paged([f('instance-state-name', 'stopped')], 5)).ids, stopped);
    const live = whose((id) => ['running', 'stopped'].includes(stateOf.get(id)!));
    const p = await paged([f('instance-state-name', 'running', 'stopped')], 5);
    assert.deepEqual(p.ids, live);
    assert.equal(p.pages, Math.ceil(live.length / 5));
    assert.deepEqual((await paged([f('instance-state-name', 'run*')], 5)).ids, whose((id) => stateOf.get(id) === 'running'), 'a wildcard state');
    const webStopped = whose((_, i) => (i < 5 || i >= 10) && stateOf.get(ids[i]!) === 'stopped');
    assert.deepEqual((await paged([f('tag:team', 'web'), f('instance-state-name', 'stopped')], 5)).ids, webStopped);
    assert.deepEqual((await paged([f('tag:Name', 'picked', 'other'), f('instance-state-name', 'running', 'stopped')])).ids, [ids[2], ids[12]]);
    assert.deepEqual((await paged([f('instance-id', ids[14]!, ids[0]!), f('instance-state-name', 'running')], 5)).ids, [ids[0], ids[14]]);
    assert.deepEqual((await paged([f('instance-state-name', 'terminated')])).ids, [ids[3]]);
    assert.deepEqual((await paged([f('instance-state-name', 'pending')])).ids, []);
  });
});
