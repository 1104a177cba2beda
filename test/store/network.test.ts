// The network store on both engines: the default VPC is created once per account and Region even
// when many requests (and two nodes on one database) ask at the same time, unique keys are enforced
// by the database, and change() runs plans one at a time per scope.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomIds } from '../../src/domain/ids.js';
import { defaultVpcObjects } from '../../src/compute/network/defaults.js';
import { ensureNetwork } from '../../src/compute/network/ensure.js';
import { ofKind, type SubnetData } from '../../src/compute/network/model.js';
import { NetUniqueError, type Scope } from '../../src/store/port.js';
import { engines } from '../helpers/store-engines.js';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };

for (const engine of engines()) {
  describe(`network store (${engine.name})`, { skip: engine.skip }, () => {
    it('creates the default VPC once under concurrent first calls from two nodes', async () => {
      const [a, b] = await engine.openShared(2);
      let builds = 0;
      const build = () => (builds++, defaultVpcObjects(randomIds, scope.region));
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => a!.network.initialise(scope, build)),
        ...Array.from({ length: 5 }, () => b!.network.initialise(scope, build)),
      ]);
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(builds, 1);
      const vpcs = await b!.network.list(scope, 'vpc');
      assert.equal(vpcs.length, 1);
      const subnets = await a!.network.list<SubnetData>(scope, 'subnet', { vpcId: vpcs[0]!.id });
      assert.deepEqual(
        subnets.map((s) => [s.data.availabilityZone, s.data.cidrBlock]),
        [
          ['us-east-1a', '172.31.0.0/20'],
          ['us-east-1b', '172.31.16.0/20'],
          ['us-east-1c', '172.31.32.0/20'],
          ['us-east-1d', '172.31.48.0/20'],
          ['us-east-1e', '172.31.64.0/20'],
          ['us-east-1f', '172.31.80.0/20'],
        ],
      );
      assert.equal((await a!.network.list(scope, 'security-group')).length, 1);
      assert.equal((await a!.network.list(scope, 'security-group-rule')).length, 2);
      assert.equal((await a!.network.list(scope, 'internet-gateway')).length, 1);
      // Another Region of the same account gets its own.
      await ensureNetwork(a!, randomIds, { ...scope, region: 'eu-west-1' });
      assert.equal((await a!.network.list({ ...scope, region: 'eu-west-1' }, 'subnet')).length, 3);
    });

    it('enforces unique keys in the database and keeps the transaction atomic', async () => {
      const store = await engine.open();
      await ensureNetwork(store, randomIds, scope);
      const [group] = await store.network.list(scope, 'security-group');
      const dup = store.network.change(scope, [], () => ({
        changes: { put: [{ kind: 'vpc', id: 'vpc-0aaaaaaaaaaaaaaaa', data: {}, tags: [] }, { ...group!, id: 'sg-0bbbbbbbbbbbbbbbb' }] },
        result: undefined,
      }));
      await assert.rejects(dup, (e: unknown) => e instanceof NetUniqueError && e.kind === 'security-group');
      // The VPC written before the refused group was rolled back with it.
      assert.equal((await store.network.list(scope, 'vpc', { ids: ['vpc-0aaaaaaaaaaaaaaaa'] })).length, 0);
    });

    it('counts the private addresses held in each subnet in the database: primary and secondary ones of every interface', async () => {
      const store = await engine.open();
      const s = { ...scope, region: 'eu-north-1' };
      await ensureNetwork(store, randomIds, s);
      const [a, b] = (await store.network.list<SubnetData>(s, 'subnet')).map((x) => x.id);
      const eni = (subnetId: string, secondary?: string[]) => {
        const id = randomIds.next('network-interface');
        return { kind: 'network-interface' as const, id, data: { subnetId, ...(secondary ? { secondaryPrivateIps: secondary } : {}) }, tags: [] };
      };
      await store.network.change(s, [], () => ({ changes: { put: [eni(a!), eni(a!, ['172.31.0.9', '172.31.0.10']), eni(b!, []), eni(b!)] }, result: undefined }));
      assert.deepEqual([...(await store.network.addressesInUse(s))].sort(), [[a!, 4], [b!, 2]].sort());
      // other Regions' interfaces are not counted
      assert.equal((await store.network.addressesInUse({ ...scope, region: 'ap-east-1' })).size, 0);
    });

    it('serialises plans per scope: a limit counted in the plan holds under concurrency', async () => {
      const [a, b] = await engine.openShared(2);
      await ensureNetwork(a!, randomIds, scope);
      const add = (store: typeof a) =>
        store!.network
          .change(scope, ['vpc'], (view) => {
            if (ofKind(view, 'vpc').length >= 5) throw new Error('limit');
            const id = randomIds.next('vpc');
            return { changes: { put: [{ kind: 'vpc', id, vpcId: id, data: {}, tags: [{ key: 'n', value: 'x' }] }], tag: [{ id, kind: 'vpc', tags: [{ key: 'n', value: 'x' }] }] }, result: id };
          })
          .then(() => 'ok', () => 'refused');
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => add(i % 2 ? a : b)));
      assert.equal(outcomes.filter((o) => o === 'ok').length, 4);
      const vpcs = await a!.network.list(scope, 'vpc');
      assert.equal(vpcs.length, 5);
      assert.deepEqual(vpcs[1]!.tags, [{ key: 'n', value: 'x' }]);
    });
  });
}
