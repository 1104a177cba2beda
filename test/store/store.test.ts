// The store port's contract, one suite run against every engine (SQLite and PostgreSQL).
// Emulator-only: these are rules of our persistence, observable on AWS only through the API.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  DuplicateClientTokenError,
  DuplicateImageNameError,
  DuplicateKeyNameError,
  KeyPairLimitError,
  TagLimitError,
  type ImageRecord,
  type InstanceRecord,
  type KeyPairRecord,
  type Scope,
  type Store,
  type VolumeRecord,
} from '../../src/store/port.js';
import type { Tag } from '../../src/domain/tags.js';
import { closeOpenedStores, engines, rootVolumeOf } from '../helpers/store-engines.js';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };
let clock = Date.UTC(2024, 0, 1);

function record(keyName: string, tags: Tag[] = [], keyType: 'rsa' | 'ed25519' = 'ed25519'): KeyPairRecord {
  const blob = randomBytes(32).toString('base64');
  return {
    keyPairId: `key-0${randomBytes(8).toString('hex')}`,
    keyName,
    keyType,
    fingerprint: randomBytes(32).toString('base64').replace(/=+$/, ''),
    publicKey: `ssh-ed25519 ${blob} ${keyName}`,
    createTime: new Date((clock += 1234)),
    tags,
  };
}

/** Settles every promise; returns the values and the errors' class names. */
async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: string[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).constructor.name] : [])),
  };
}

const names = (list: KeyPairRecord[]) => list.map((k) => k.keyName);

function instance(n: number, tags: Tag[] = []): { instance: InstanceRecord; volume: VolumeRecord } {
  const hex = randomBytes(8).toString('hex');
  const instance: InstanceRecord = {
    instanceId: `i-0${hex}`,
    reservationId: `r-0${hex}`,
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    keyName: 'dev',
    launchKey: { name: 'dev', publicKey: 'ssh-ed25519 AAAA dev' },
    state: 'pending',
    stateTransitionReason: '',
    launchTime: new Date((clock += 1000)),
    availabilityZone: `${scope.region}a`,
    privateIp: `172.31.0.${n}`,
    publicIp: `127.1.0.${n}`,
    rootDeviceName: '/dev/xvda',
    rootDeviceType: 'ebs',
    rootVolumeId: `vol-0${hex}`,
    amiLaunchIndex: n,
    metadataOptions: {
      httpTokens: 'required',
      httpEndpoint: 'enabled',
      httpPutResponseHopLimit: 2,
      instanceMetadataTags: 'disabled',
      httpProtocolIpv6: 'disabled',
    },
    hostKeySeed: randomBytes(32).toString('hex'),
    imageTemplate: 'amazon-linux-2023',
    tags,
  };
  return { instance, volume: rootVolumeOf(instance) };
}

for (const engine of engines()) {
  describe(`store on ${engine.name}`, { skip: engine.skip }, () => {
    let store: Store;
    const fresh = async () => (store = await engine.open());
    afterEach(closeOpenedStores);

    it('inserts, lists in creation order with tags, checks existence, deletes by name and by id', async () => {
      await fresh();
      const a = record('alpha', [{ key: 'env', value: 'dev' }, { key: 'team', value: '' }], 'rsa');
      const b = record('Alpha'); // names are case-sensitive
      const c = record('zeta');
      for (const r of [c, a, b]) await store.keyPairs.insert(scope, r, 5000);
      const listed = await store.keyPairs.list(scope);
      assert.deepEqual(listed, [c, a, b]);
      assert.equal(listed[1]!.createTime.getTime(), a.createTime.getTime());
      assert.equal(await store.keyPairs.exists(scope, a.keyPairId), true);
      assert.equal(await store.keyPairs.exists(scope, 'key-0000000000000000'), false);

      assert.deepEqual(await store.keyPairs.deleteByName(scope, 'alpha'), { ...a, tags: [] });
      assert.equal(await store.keyPairs.deleteByName(scope, 'alpha'), undefined);
      assert.deepEqual(await store.keyPairs.deleteById(scope, c.keyPairId), { ...c, tags: [] });
      assert.equal(await store.keyPairs.deleteById(scope, c.keyPairId), undefined);
      assert.deepEqual(names(await store.keyPairs.list(scope)), ['Alpha']);
      assert.equal(await store.keyPairs.exists(scope, a.keyPairId), false);
      // A deleted key pair's tags go with it.
      assert.deepEqual(await store.tags.list(scope), []);
    });

    it('refuses a duplicate name with DuplicateKeyNameError, and accepts it again once deleted', async () => {
      await fresh();
      await store.keyPairs.insert(scope, record('dup'), 5000);
      await assert.rejects(store.keyPairs.insert(scope, record('dup'), 5000), DuplicateKeyNameError);
      assert.equal((await store.keyPairs.list(scope)).length, 1);
      await store.keyPairs.deleteByName(scope, 'dup');
      await store.keyPairs.insert(scope, record('dup'), 5000);
      assert.deepEqual(names(await store.keyPairs.list(scope)), ['dup']);
    });

    it('enforces the per-scope limit with KeyPairLimitError; a duplicate at the limit is still a duplicate', async () => {
      await fresh();
      for (const n of ['k1', 'k2', 'k3']) await store.keyPairs.insert(scope, record(n, [{ key: 'a', value: 'b' }]), 3);
      await assert.rejects(store.keyPairs.insert(scope, record('k4', [{ key: 'x', value: 'y' }]), 3), KeyPairLimitError);
      await assert.rejects(store.keyPairs.insert(scope, record('k1'), 3), DuplicateKeyNameError);
      assert.deepEqual(names(await store.keyPairs.list(scope)), ['k1', 'k2', 'k3']);
      assert.equal((await store.tags.list(scope)).length, 3, 'the refused insert left no tags');
      await store.keyPairs.deleteByName(scope, 'k2');
      await store.keyPairs.insert(scope, record('k4'), 3);
      assert.deepEqual(names(await store.keyPairs.list(scope)), ['k1', 'k3', 'k4']);
    });

    it('puts, overwrites, removes and lists tags', async () => {
      await fresh();
      const a = record('a');
      const b = record('b');
      await store.keyPairs.insert(scope, a, 5000);
      await store.keyPairs.insert(scope, b, 5000);
      const both = [a, b].map((r) => ({ id: r.keyPairId, type: 'key-pair' }));
      await store.tags.put(scope, both, [{ key: 'env', value: 'dev' }, { key: 'owner', value: 'me' }], 50);
      await store.tags.put(scope, both.slice(0, 1), [{ key: 'env', value: 'prod' }, { key: 'cost', value: '1' }], 50);
      const byResource = (id: string) => store.tags.list(scope).then((l) => l.filter((t) => t.resourceId === id).map((t) => [t.key, t.value]));
      assert.deepEqual(await byResource(a.keyPairId), [['env', 'prod'], ['owner', 'me'], ['cost', '1']]);
      assert.deepEqual(await byResource(b.keyPairId), [['env', 'dev'], ['owner', 'me']]);
      const all = await store.tags.list(scope);
      assert.deepEqual(all.map((t) => t.resourceId), [...all.map((t) => t.resourceId)].sort(), 'ordered by resource');
      assert.ok(all.every((t) => t.resourceType === 'key-pair'));
      // Key pairs carry their tags.
      assert.deepEqual((await store.keyPairs.list(scope)).map((k) => k.tags.length), [3, 2]);

      await store.tags.remove(scope, [a.keyPairId], [{ key: 'owner', value: 'someone-else' }]); // value differs: kept
      await store.tags.remove(scope, [a.keyPairId, b.keyPairId], [{ key: 'env', value: 'dev' }]); // only b's matches
      await store.tags.remove(scope, [a.keyPairId], [{ key: 'cost' }]); // any value
      assert.deepEqual(await byResource(a.keyPairId), [['env', 'prod'], ['owner', 'me']]);
      assert.deepEqual(await byResource(b.keyPairId), [['owner', 'me']]);
      await store.tags.remove(scope, [a.keyPairId], []); // every tag
      assert.deepEqual(await byResource(a.keyPairId), []);
      assert.deepEqual(await byResource(b.keyPairId), [['owner', 'me']]);
    });

    it('enforces the tag limit per resource with TagLimitError, all or nothing', async () => {
      await fresh();
      const a = record('a');
      await store.keyPairs.insert(scope, a, 5000);
      const res = [{ id: a.keyPairId, type: 'key-pair' }];
      const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: 'v' }));
      await store.tags.put(scope, res, tags(0, 45), 50);
      await assert.rejects(store.tags.put(scope, res, tags(45, 6), 50), TagLimitError);
      assert.equal((await store.tags.list(scope)).length, 45, 'a refused put changes nothing');
      await store.tags.put(scope, res, tags(45, 5), 50);
      await store.tags.put(scope, res, [{ key: 'k0', value: 'overwritten' }], 50); // overwriting at the limit is fine
      const listed = await store.tags.list(scope);
      assert.equal(listed.length, 50);
      assert.equal(listed[0]!.value, 'overwritten');
    });

    it('isolates accounts and regions', async () => {
      await fresh();
      const scopes: Scope[] = [
        { accountId: '111111111111', region: 'us-east-1' },
        { accountId: '111111111111', region: 'eu-west-1' },
        { accountId: '222222222222', region: 'us-east-1' },
        { accountId: '222222222222', region: 'eu-west-1' },
      ];
      const records = scopes.map(() => record('same-name'));
      for (const [i, s] of scopes.entries()) {
        await store.keyPairs.insert(s, records[i]!, 1); // the limit of 1 is per scope
        await store.tags.put(s, [{ id: records[i]!.keyPairId, type: 'key-pair' }], [{ key: 'i', value: String(i) }], 50);
      }
      for (const [i, s] of scopes.entries()) {
        const listed = await store.keyPairs.list(s);
        assert.deepEqual(listed.map((k) => k.keyPairId), [records[i]!.keyPairId]);
        assert.deepEqual((await store.tags.list(s)).map((t) => t.value), [String(i)]);
        const other = scopes[(i + 1) % scopes.length]!;
        assert.equal(await store.keyPairs.exists(other, records[i]!.keyPairId), false);
        assert.equal(await store.keyPairs.deleteById(other, records[i]!.keyPairId), undefined);
      }
      assert.equal(await store.keyPairs.deleteByName(scopes[0]!, 'same-name').then((r) => r?.keyPairId), records[0]!.keyPairId);
      for (const s of scopes.slice(1)) assert.equal((await store.keyPairs.list(s)).length, 1);
    });

    it('50 parallel inserts of one name through 5 stores on one storage: exactly one wins', async () => {
      const stores = await engine.openShared(5);
      const { ok, errors } = await settle(
        Array.from({ length: 50 }, (_, i) => stores[i % 5]!.keyPairs.insert(scope, record('race'), 5000)),
      );
      assert.equal(ok.length, 1);
      assert.deepEqual(new Set(errors), new Set(['DuplicateKeyNameError']));
      assert.equal(errors.length, 49);
      assert.deepEqual(names(await stores[0]!.keyPairs.list(scope)), ['race']);
    });

    it('racing past the limit through 5 stores: exactly the limit exists', async () => {
      const stores = await engine.openShared(5);
      const { ok, errors } = await settle(
        Array.from({ length: 60 }, (_, i) => stores[i % 5]!.keyPairs.insert(scope, record(`n${i}`), 17)),
      );
      assert.equal(ok.length, 17);
      assert.equal(errors.length, 43);
      assert.deepEqual(new Set(errors), new Set(['KeyPairLimitError']));
      for (const s of stores) assert.equal((await s.keyPairs.list(scope)).length, 17);
    });

    it('racing past the tag limit on one resource through 5 stores: exactly 50 tags exist', async () => {
      const stores = await engine.openShared(5);
      const a = record('tagged');
      await stores[0]!.keyPairs.insert(scope, a, 5000);
      const res = [{ id: a.keyPairId, type: 'key-pair' }];
      await stores[0]!.tags.put(scope, res, Array.from({ length: 40 }, (_, i) => ({ key: `pre${i}`, value: 'v' })), 50);
      // Warm every connection pool, so the puts below really overlap.
      await Promise.all(stores.flatMap((s) => Array.from({ length: 8 }, () => s.tags.list(scope))));
      // 40 puts of 2 distinct new keys each: 5 fit in the 10 free places, the other 35 must fail.
      const { ok, errors } = await settle(
        Array.from({ length: 40 }, (_, p) =>
          stores[p % 5]!.tags.put(scope, res, [{ key: `p${p}a`, value: 'v' }, { key: `p${p}b`, value: 'v' }], 50),
        ),
      );
      assert.equal(ok.length, 5);
      assert.deepEqual(errors, Array(35).fill('TagLimitError'));
      assert.equal((await stores[1]!.tags.list(scope)).length, 50);
    });

    it('pages through a scope in creation order: each key pair once, with its tags, across deletes and inserts', async () => {
      await fresh();
      const made = Array.from({ length: 7 }, (_, i) => record(`p${i}`, i % 3 === 0 ? [{ key: 'n', value: String(i) }] : []));
      for (const r of made) await store.keyPairs.insert(scope, r, 5000);
      await store.keyPairs.insert({ ...scope, region: 'eu-west-1' }, record('elsewhere'), 5000);
      const first = await store.keyPairs.page(scope, { limit: 3, publicKey: true });
      assert.deepEqual(first.records, made.slice(0, 3));
      assert.notEqual(first.next, undefined);
      // A key pair deleted before its page is read is not listed; one created meanwhile comes last.
      await store.keyPairs.deleteByName(scope, 'p4');
      const late = record('late');
      await store.keyPairs.insert(scope, late, 5000);
      const second = await store.keyPairs.page(scope, { after: first.next, limit: 3, publicKey: false });
      assert.deepEqual(names(second.records), ['p3', 'p5', 'p6']);
      assert.deepEqual(second.records[0]!.tags, [{ key: 'n', value: '3' }]);
      assert.ok(second.records.every((k) => k.publicKey === ''), 'public keys not read when not asked for');
      const third = await store.keyPairs.page(scope, { after: second.next, limit: 3, publicKey: true });
      assert.deepEqual(third.records, [late]);
      assert.equal(third.next, undefined);
      assert.deepEqual(await store.keyPairs.page({ ...scope, region: 'ap-south-1' }, { limit: 3, publicKey: true }), { records: [] });
    });

    it('lists key pairs selected by name or id, in creation order', async () => {
      await fresh();
      const [a, b, c] = [record('a', [{ key: 't', value: 'a' }]), record('b'), record('c')];
      for (const r of [a, b, c]) await store.keyPairs.insert(scope, r, 5000);
      assert.deepEqual(names(await store.keyPairs.list(scope, { names: ['c', 'a', 'missing'] })), ['a', 'c']);
      assert.deepEqual(names(await store.keyPairs.list(scope, { ids: [c.keyPairId] })), ['c']);
      assert.deepEqual(names(await store.keyPairs.list(scope, { names: ['b'], ids: [c.keyPairId] })), ['b', 'c']);
      assert.deepEqual(await store.keyPairs.list(scope, { names: [] }), []);
      assert.deepEqual((await store.keyPairs.list(scope, { names: ['a'] }))[0]!.tags, [{ key: 't', value: 'a' }]);
      assert.deepEqual(await store.keyPairs.list({ ...scope, region: 'eu-west-1' }, { names: ['a'] }), []);
    });

    it('stores instances and volumes as documents: insert, list, update, listLive, filesystems', async () => {
      await fresh();
      const one = instance(1, [{ key: 'Name', value: 'web' }]);
      const two = instance(2);
      const elsewhere = { accountId: '210987654321', region: 'eu-west-1' };
      const three = instance(3);
      await store.instances.insert(scope, [one.instance, two.instance], [one.volume, two.volume]);
      await store.instances.insert(elsewhere, [three.instance], [three.volume]);

      assert.deepEqual(await store.instances.list(scope), [one.instance, two.instance]);
      assert.deepEqual(await store.instances.list(scope, [two.instance.instanceId, three.instance.instanceId]), [two.instance]);
      assert.deepEqual(await store.volumes.list(scope), [one.volume, two.volume]);
      assert.deepEqual((await store.tags.list(scope)).map((t) => [t.resourceId, t.resourceType, t.key]), [[one.instance.instanceId, 'instance', 'Name']]);
      assert.equal(await store.instances.exists(scope, one.instance.instanceId), true);
      assert.equal(await store.instances.exists(elsewhere, one.instance.instanceId), false);
      assert.equal(await store.volumes.exists(scope, two.volume.volumeId), true);
      assert.equal(await store.volumes.exists(elsewhere, two.volume.volumeId), false);

      const running = await store.instances.update(scope, one.instance.instanceId, (r) => ({ ...r, state: 'running', sshPort: 2222 }));
      assert.deepEqual(running, { ...one.instance, state: 'running', sshPort: 2222 });
      assert.deepEqual((await store.instances.list(scope, [one.instance.instanceId]))[0], running);
      await store.instances.update(scope, two.instance.instanceId, (r) => ({ ...r, state: 'terminated' }));
      assert.equal(await store.instances.update(elsewhere, one.instance.instanceId, (r) => r), undefined);
      const live = await store.instances.listLive();
      assert.deepEqual(
        live.map((l) => [l.scope, l.instance.instanceId, l.instance.state]),
        [
          [scope, one.instance.instanceId, 'running'],
          [elsewhere, three.instance.instanceId, 'pending'],
        ],
      );

      const detached = await store.volumes.update(scope, one.volume.volumeId, (v) => ({ ...v, state: 'available', attachment: undefined }));
      assert.equal(detached!.state, 'available');
      const [reread] = await store.volumes.list(scope, [one.volume.volumeId]);
      assert.equal(reread!.state, 'available');
      assert.equal(reread!.attachment, undefined);
      assert.equal((await store.volumes.list(scope, [two.volume.volumeId]))[0]!.attachment!.attachTime.getTime(), two.volume.createTime.getTime());

      await store.volumes.remove(scope, two.volume.volumeId);
      assert.deepEqual(await store.volumes.list(scope, [two.volume.volumeId]), []);
    });

    it('block data: documents by id, layered on a base; dependents keep their base', async () => {
      await fresh();
      assert.equal(await store.blockData.load('vol-1'), undefined);
      const fs = { files: { '/etc/hostname': { mode: 0o644, data: 'aXAtMTcy' } }, nested: [1, 'two', null] };
      await store.blockData.save('snap-1', { data: fs });
      await store.blockData.save('vol-1', { base: 'snap-1', data: { changed: [] } });
      assert.deepEqual(await store.blockData.load('snap-1'), { base: undefined, data: fs });
      assert.deepEqual(await store.blockData.load('vol-1'), { base: 'snap-1', data: { changed: [] } });
      assert.equal(await store.blockData.hasDependents('snap-1'), true);
      assert.equal(await store.blockData.hasDependents('vol-1'), false);
      assert.equal(await store.blockData.size('vol-1'), JSON.stringify({ changed: [] }).length);
      await store.blockData.release('snap-1');
      assert.deepEqual(await store.blockData.load('snap-1'), { base: undefined, data: fs, released: true });
      await store.blockData.remove('vol-1');
      assert.equal(await store.blockData.hasDependents('snap-1'), false);
    });

    it('leases: one holder until expiry; published info; renewal of all, hand-over on request, expired ones listed', async () => {
      await fresh();
      const { leases } = store;
      assert.equal(await leases.acquire('instance/i-1', 'node-a', 60_000, '{"port":1}'), true);
      assert.equal(await leases.acquire('instance/i-1', 'node-b', 60_000, '{"port":2}'), false, 'a live lease of another node is left alone');
      assert.deepEqual(await leases.holder('instance/i-1'), { owner: 'node-a', info: '{"port":1}' });
      assert.equal(await leases.acquire('instance/i-1', 'node-a', 60_000), true, 'renewal without info keeps the published one');
      assert.equal((await leases.holder('instance/i-1'))!.info, '{"port":1}');
      await leases.acquire('instance/i-2', 'node-a', 60_000);
      await leases.acquire('autoscaling/g', 'node-a', 60_000);

      // Another node asks for i-1; the holder sees it on its renewal and hands the lease over.
      await leases.want('instance/i-1', 'node-b');
      const renewed = await leases.renewAll('node-a', 'instance/', 60_000);
      assert.deepEqual(renewed.sort((x, y) => x.name.localeCompare(y.name)), [{ name: 'instance/i-1', wantedBy: 'node-b' }, { name: 'instance/i-2' }]);
      assert.equal(await leases.handOver('instance/i-2', 'node-a', 60_000), false, 'nobody asked for i-2');
      assert.equal(await leases.handOver('instance/i-1', 'node-a', 60_000), true);
      assert.equal((await leases.holder('instance/i-1'))!.owner, 'node-b');
      assert.deepEqual((await leases.renewAll('node-b', 'instance/', 60_000)).map((r) => r.name), ['instance/i-1']);

      // An expired lease (its holder stopped renewing) is listed, has no holder, and can be taken.
      assert.equal(await leases.acquire('instance/i-2', 'node-a', -1), true);
      assert.equal(await leases.holder('instance/i-2'), undefined);
      assert.deepEqual(await leases.expired('instance/'), [{ name: 'instance/i-2' }]);
      assert.equal(await leases.acquire('instance/i-2', 'node-b', 60_000, '{}'), true);
      assert.deepEqual(await leases.expired('instance/'), []);
      await leases.release('instance/i-2', 'node-a');
      assert.equal((await leases.holder('instance/i-2'))!.owner, 'node-b', 'only the holder releases');
    });

    it('images: names unique per account and region; shared images visible to the grantee only', async () => {
      await fresh();
      const scope: Scope = { accountId: '111122223333', region: 'eu-west-1' };
      const other: Scope = { accountId: '222233334444', region: scope.region };
      const image = (imageId: string, name: string, ownerId: string): ImageRecord => ({
        imageId,
        ownerId,
        name,
        description: '',
        state: 'available',
        creationDate: new Date('2025-01-15T00:00:00Z'),
        rootDeviceName: '/dev/xvda',
        template: 'al2023',
        blockDeviceMappings: [{ deviceName: '/dev/xvda', snapshotId: 'snap-1', volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true }],
        launchPermissions: [],
        tags: [{ key: 'Name', value: name }],
      });
      await store.images.insert(scope, image('ami-00000000000000001', 'golden', scope.accountId));
      await assert.rejects(store.images.insert(scope, image('ami-00000000000000002', 'golden', scope.accountId)), DuplicateImageNameError);
      await store.images.insert(other, image('ami-00000000000000003', 'golden', other.accountId));
      assert.deepEqual((await store.images.listVisible(scope)).map((i) => i.imageId), ['ami-00000000000000001']);
      await store.images.update(scope, 'ami-00000000000000001', (i) => ({ ...i, launchPermissions: [{ userId: other.accountId }] }));
      const seen = await store.images.listVisible(other);
      assert.deepEqual(seen.map((i) => [i.imageId, i.tags.length]), [['ami-00000000000000001', 0], ['ami-00000000000000003', 1]]);
      assert.equal((await store.images.find(scope.region, 'ami-00000000000000003'))?.ownerId, other.accountId);
      await store.images.remove(scope, 'ami-00000000000000001');
      assert.deepEqual((await store.images.listVisible(other)).map((i) => i.imageId), ['ami-00000000000000003']);
    });

    it('keeps user data beside the instance: inserted with it, read alone, replaced only in the given state', async () => {
      await fresh();
      const one = instance(1);
      const two = instance(2);
      await store.instances.insert(scope, [one.instance, two.instance], [one.volume, two.volume], new Map([[one.instance.instanceId, 'IyEvYmluL3No']]));
      assert.equal(await store.instances.userData(scope, one.instance.instanceId), 'IyEvYmluL3No');
      assert.equal(await store.instances.userData(scope, two.instance.instanceId), undefined);
      assert.equal(await store.instances.userData({ ...scope, region: 'eu-west-1' }, one.instance.instanceId), undefined);
      assert.deepEqual((await store.instances.list(scope))[0], one.instance, 'not part of the document');
      assert.equal(await store.instances.setUserData(scope, one.instance.instanceId, 'bmV3', 'stopped'), false, 'pending, not stopped');
      assert.equal(await store.instances.userData(scope, one.instance.instanceId), 'IyEvYmluL3No');
      await store.instances.update(scope, one.instance.instanceId, (r) => ({ ...r, state: 'stopped' }));
      assert.equal(await store.instances.setUserData(scope, one.instance.instanceId, 'bmV3', 'stopped'), true);
      assert.equal(await store.instances.userData(scope, one.instance.instanceId), 'bmV3');
      assert.equal(await store.instances.setUserData(scope, one.instance.instanceId, undefined, 'stopped'), true);
      assert.equal(await store.instances.userData(scope, one.instance.instanceId), undefined);
      assert.equal(await store.instances.setUserData(scope, 'i-0000000000000000', 'bmV3', 'stopped'), false);
    });

    it('counters: parallel nextSequence through 5 stores hands out each value once, per name', async () => {
      const stores = await engine.openShared(5);
      const values = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 5]!.nextSequence('addresses')));
      assert.deepEqual([...values].sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
      assert.equal(await stores[3]!.nextSequence('other'), 1);
      assert.equal(await stores[0]!.nextSequence('addresses'), 41);
    });

    it('a ClientToken launches once: 10 parallel inserts with one token through 5 stores, one wins; other scopes and tokens are free', async () => {
      const stores = await engine.openShared(5);
      const launches = Array.from({ length: 10 }, (_, n) => {
        const { instance: i, volume: v } = instance(n);
        return { i: { ...i, clientToken: 'tok-1' }, v };
      });
      const { ok, errors } = await settle(launches.map((l, n) => stores[n % 5]!.instances.insert(scope, [l.i], [l.v])));
      assert.equal(ok.length, 1);
      assert.deepEqual(errors, Array(9).fill('DuplicateClientTokenError'));
      const listed = await stores[1]!.instances.list(scope);
      assert.equal(listed.length, 1, 'the losers left no instance');
      assert.equal((await stores[1]!.volumes.list(scope)).length, 1, 'nor a volume');
      // The same token in another region, and another token, are launches of their own.
      const other = instance(20);
      await stores[0]!.instances.insert({ ...scope, region: 'eu-west-1' }, [{ ...other.instance, clientToken: 'tok-1' }], []);
      const third = instance(21);
      await stores[0]!.instances.insert(scope, [{ ...third.instance, clientToken: 'tok-2' }], [third.volume]);
      await assert.rejects(stores[2]!.instances.insert(scope, [{ ...instance(22).instance, clientToken: 'tok-2' }], []), DuplicateClientTokenError);
      // Without a token nothing is claimed.
      await stores[3]!.instances.insert(scope, [instance(23).instance], []);
      await stores[3]!.instances.insert(scope, [instance(24).instance], []);
      assert.equal((await stores[0]!.instances.list(scope)).length, 4);
    });

    it('parallel updates of one instance through 5 stores lose none', async () => {
      const stores = await engine.openShared(5);
      const { instance: i, volume: v } = instance(0);
      await stores[0]!.instances.insert(scope, [i], [v]);
      await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          stores[n % 5]!.instances.update(scope, i.instanceId, (r) => ({ ...r, amiLaunchIndex: r.amiLaunchIndex + 1 })),
        ),
      );
      assert.equal((await stores[2]!.instances.list(scope))[0]!.amiLaunchIndex, 30);
    });
  });
}
