// InstanceRepository.query and VolumeRepository.attachedTo on both engines: the filters and page
// bounds DescribeInstances hands to the store, compared with the same selection made in memory.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { InstanceQuery, InstanceRecord, Scope, Store, VolumeRecord } from '../../src/store/port.js';
import type { Tag } from '../../src/domain/tags.js';
import { closeOpenedStores, engines, rootVolumeOf } from '../helpers/store-engines.js';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };
const elsewhere: Scope = { accountId: '123456789012', region: 'eu-west-1' };
let clock = Date.UTC(2025, 0, 1);

function instance(n: number, over: Partial<InstanceRecord>, tags: Tag[] = []): { instance: InstanceRecord; volume: VolumeRecord } {
  const hex = randomBytes(8).toString('hex');
  const instance: InstanceRecord = {
    instanceId: `i-0${hex}`,
    reservationId: `r-0${hex}`,
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    keyName: 'dev',
    state: 'running',
    stateTransitionReason: '',
    launchTime: new Date((clock += 1000)),
    availabilityZone: 'us-east-1a',
    privateIp: `172.31.0.${n}`,
    publicIp: `127.1.0.${n}`,
    rootDeviceName: '/dev/xvda',
    rootDeviceType: 'ebs',
    rootVolumeId: `vol-0${hex}`,
    amiLaunchIndex: 0,
    metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 2, instanceMetadataTags: 'disabled', httpProtocolIpv6: 'disabled' },
    hostKeySeed: randomBytes(32).toString('hex'),
    imageTemplate: 'amazon-linux-2023',
    tags,
    ...over,
  };
  if (instance.keyName === undefined) delete instance.keyName; // as stored: absent, not undefined
  return { instance, volume: rootVolumeOf(instance) };
}

const ids = (rows: { instance: InstanceRecord }[]) => rows.map((r) => r.instance.instanceId);

for (const engine of engines()) {
  describe(`instance queries on ${engine.name}`, { skip: engine.skip }, () => {
    afterEach(closeOpenedStores);

    it('filters on columns, document fields and tags, exactly, in launch order, within the scope', async () => {
      const store: Store = await engine.open();
      const made = [
        instance(1, { keyName: 'alpha', imageId: 'ami-00000000000000001' }, [{ key: 'Name', value: 'web' }, { key: 'env', value: 'prod' }]),
        instance(2, { keyName: 'beta', state: 'stopped', availabilityZone: 'us-east-1b' }, [{ key: 'Name', value: 'db' }]),
        instance(3, { keyName: undefined, instanceType: 't3.large' }, [{ key: 'env', value: 'dev' }]),
        instance(4, { keyName: 'alpha', state: 'terminated', imageId: 'ami-00000000000000001' }),
      ];
      const all = made.map((m) => m.instance);
      const [a, b, c, d] = all.map((i) => i.instanceId) as [string, string, string, string];
      await store.instances.insert(scope, all.slice(0, 2), made.slice(0, 2).map((m) => m.volume));
      await store.instances.insert(scope, all.slice(2), made.slice(2).map((m) => m.volume));
      const other = instance(5, { keyName: 'alpha' }, [{ key: 'Name', value: 'web' }]);
      await store.instances.insert(elsewhere, [other.instance], [other.volume]);

      const q = async (query: InstanceQuery) => ids(await store.instances.query(scope, query));
      assert.deepEqual(await q({}), [a, b, c, d]);
      assert.deepEqual((await store.instances.query(scope, {})).map((r) => r.instance), all, 'whole records, tags included');
      assert.deepEqual(await q({ fields: [{ field: 'instance-id', values: [c, a, 'i-0000000000000000f'] }] }), [a, c]);
      assert.deepEqual(await q({ fields: [{ field: 'instance-state-name', values: ['running', 'stopped'] }] }), [a, b, c]);
      assert.deepEqual(await q({ fields: [{ field: 'key-name', values: ['alpha'] }] }), [a, d]);
      assert.deepEqual(await q({ fields: [{ field: 'key-name', values: ['Alpha'] }] }), [], 'case-sensitive');
      assert.deepEqual(await q({ fields: [{ field: 'image-id', values: ['ami-00000000000000001'] }, { field: 'instance-state-name', values: ['running'] }] }), [a]);
      assert.deepEqual(await q({ fields: [{ field: 'availability-zone', values: ['us-east-1b'] }] }), [b]);
      assert.deepEqual(await q({ fields: [{ field: 'instance-type', values: ['t3.large'] }] }), [c]);
      assert.deepEqual(await q({ fields: [{ field: 'reservation-id', values: [all[1]!.reservationId] }] }), [b]);
      assert.deepEqual(await q({ tags: [{ key: 'Name', values: ['web', 'db'] }] }), [a, b]);
      assert.deepEqual(await q({ tags: [{ key: 'Name', values: ['web'] }, { key: 'env', values: ['prod'] }] }), [a]);
      assert.deepEqual(await q({ tags: [{ key: 'env', values: ['web'] }] }), []);
      assert.deepEqual(await q({ tagKeys: [['env']] }), [a, c]);
      assert.deepEqual(await q({ tagKeys: [['env'], ['Name']] }), [a]);
      assert.deepEqual(ids(await store.instances.query(elsewhere, { tags: [{ key: 'Name', values: ['web'] }] })), [other.instance.instanceId]);
    });

    it('pages by position: limit and after walk the whole list once, in order', async () => {
      const store: Store = await engine.open();
      const made = Array.from({ length: 12 }, (_, n) => instance(n, { state: n % 3 === 0 ? 'stopped' : 'running' }));
      await store.instances.insert(scope, made.map((m) => m.instance), made.map((m) => m.volume));
      const running = made.filter((m) => m.instance.state === 'running').map((m) => m.instance.instanceId);
      const walked: string[] = [];
      let after: number | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const rows = await store.instances.query(scope, { fields: [{ field: 'instance-state-name', values: ['running'] }], after, limit: 3 });
        walked.push(...ids(rows));
        if (rows.length < 3) break;
        after = rows[rows.length - 1]!.position;
      }
      assert.deepEqual(walked, running);
      const positions = (await store.instances.query(scope, {})).map((r) => r.position);
      assert.deepEqual([...positions].sort((x, y) => x - y), positions, 'positions follow launch order');
    });

    it('finds the volumes attached to given instances only', async () => {
      const store: Store = await engine.open();
      const one = instance(1, {});
      const two = instance(2, {});
      await store.instances.insert(scope, [one.instance, two.instance], [one.volume, two.volume]);
      const loose: VolumeRecord = { ...one.volume, volumeId: 'vol-0aaaaaaaaaaaaaaaa', state: 'available', attachment: undefined };
      await store.volumes.insert(scope, loose);
      assert.deepEqual(await store.volumes.attachedTo(scope, [two.instance.instanceId]), [two.volume]);
      assert.deepEqual(await store.volumes.attachedTo(scope, [one.instance.instanceId, two.instance.instanceId]), [one.volume, two.volume]);
      assert.deepEqual(await store.volumes.attachedTo(elsewhere, [one.instance.instanceId]), []);
      assert.deepEqual(await store.volumes.attachedTo(scope, []), []);
    });
  });
}
