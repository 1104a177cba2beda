// EBS snapshot storage tiers over the wire: ModifySnapshotTier (archive), RestoreSnapshotTier
// (temporary and permanent), DescribeSnapshotTierStatus, DescribeSnapshots' storageTier and
// restoreExpiryTime, CreateVolume refused from an archived snapshot, the tier kept across a
// restart, and the AWS CLI's restore-snapshot-tier.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeSnapshotTierStatusCommand,
  type EC2Client,
  ModifySnapshotTierCommand,
  RestoreSnapshotTierCommand,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { AWS_CLI, awsCli } from '../helpers/awscli.js';
import { requireTools, tempDir } from '../helpers/tools.js';

// Long enough that the in-progress states are seen between two quick calls even on a busy machine.
const DELAY = 400;
const DAY_MS = 86_400_000;
let server: TestServer;
let client: EC2Client;
const dir = tempDir();
before(async () => {
  requireTools([AWS_CLI], 'the AWS CLI check');
  server = await startTestServer({ storageDelayMs: DELAY });
  client = server.client();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const settle = () => new Promise((r) => setTimeout(r, DELAY + 100));

async function snapshot(c: EC2Client = client, wait = true): Promise<{ snap: string; vol: string }> {
  const v = await c.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 2 }));
  await settle();
  const s = await c.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }));
  if (wait) await settle();
  return { snap: s.SnapshotId!, vol: v.VolumeId! };
}

const described = async (id: string) => (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
const tierStatus = async (id: string) =>
  (await client.send(new DescribeSnapshotTierStatusCommand({ Filters: [{ Name: 'snapshot-id', Values: [id] }] }))).SnapshotTierStatuses!;

describe('snapshot tiers', () => {
  it('archives a completed snapshot: in progress, then archive; status set; filters', async () => {
    const { snap, vol } = await snapshot();
    assert.equal((await described(snap)).StorageTier, 'standard');
    assert.deepEqual(await tierStatus(snap).then((s) => s.map((x) => [x.StorageTier, x.LastTieringOperationStatus])), [['standard', undefined]]);

    const dry = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive', DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    const before = Date.now();
    const r = await client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' }));
    assert.equal(r.SnapshotId, snap);
    assert.ok(r.TieringStartTime!.getTime() >= before - 1000);
    const [during] = await tierStatus(snap);
    assert.equal(during!.LastTieringOperationStatus, 'archival-in-progress');
    assert.equal(during!.StorageTier, 'standard');
    const again = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' })));
    assert.equal(again.name, 'IncorrectState');

    await settle();
    assert.equal((await described(snap)).StorageTier, 'archive');
    const [done] = await tierStatus(snap);
    assert.equal(done!.SnapshotId, snap);
    assert.equal(done!.VolumeId, vol);
    assert.equal(done!.Status, 'completed');
    assert.equal(done!.OwnerId, (await described(snap)).OwnerId);
    assert.deepEqual(done!.Tags, [{ Key: 'k', Value: 'v' }]);
    assert.equal(done!.StorageTier, 'archive');
    assert.equal(done!.LastTieringOperationStatus, 'archival-completed');
    assert.equal(done!.LastTieringOperationStatusDetail, 'Archival completed');
    assert.equal(done!.LastTieringProgress, 100);
    assert.equal(done!.LastTieringStartTime!.getTime(), r.TieringStartTime!.getTime());
    assert.ok(done!.ArchivalCompleteTime! >= done!.LastTieringStartTime!);

    const byOp = await client.send(new DescribeSnapshotTierStatusCommand({ Filters: [{ Name: 'last-tiering-operation', Values: ['archival-completed'] }, { Name: 'volume-id', Values: [vol] }] }));
    assert.deepEqual(byOp.SnapshotTierStatuses!.map((s) => s.SnapshotId), [snap]);
    const archived = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'storage-tier', Values: ['archive'] }] }));
    assert.ok(archived.Snapshots!.some((s) => s.SnapshotId === snap));
    assert.ok(archived.Snapshots!.every((s) => s.StorageTier === 'archive'));

    const already = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' })));
    assert.equal(already.name, 'IncorrectState');
    assert.match(already.message, /already archived/);
    const vol2 = await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap })));
    assert.equal(vol2.name, 'IncorrectState');
    assert.match(vol2.message, /archived/);
  });

  it('refuses unknown, pending and non-archive-tier requests as AWS does', async () => {
    const missing = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: 'snap-0123456789abcdef0', StorageTier: 'archive' })));
    assert.equal(missing.name, 'InvalidSnapshot.NotFound');
    assert.equal(missing.message, "The snapshot 'snap-0123456789abcdef0' does not exist.");
    const restoreMissing = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: 'snap-0123456789abcdef0', PermanentRestore: true })));
    assert.equal(restoreMissing.name, 'InvalidSnapshot.NotFound');
    const { snap } = await snapshot(client, false);
    const pending = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' })));
    assert.equal(pending.name, 'IncorrectState');
    assert.match(pending.message, /completed/);
    const tier = await server.raw({ Action: 'ModifySnapshotTier', Version: '2016-11-15', SnapshotId: snap, StorageTier: 'standard' });
    assert.equal(tier.status, 400);
    assert.match(tier.body, /InvalidParameterValue/);
    await settle();
    const notArchived = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, PermanentRestore: true })));
    assert.equal(notArchived.name, 'IncorrectState');
    const both = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, PermanentRestore: true, TemporaryRestoreDays: 2 })));
    assert.equal(both.name, 'InvalidParameterCombination');
    const neither = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap })));
    assert.equal(neither.name, 'MissingParameter');
    const tooLong = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, TemporaryRestoreDays: 181 })));
    assert.equal(tooLong.name, 'InvalidParameterValue');
  });

  it('temporary restore: standard with restoreExpiryTime, volumes allowed; then permanent restore', async () => {
    const { snap } = await snapshot();
    await client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' }));
    await settle();
    const dry = await awsError(() => client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, TemporaryRestoreDays: 3, DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    const r = await client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, TemporaryRestoreDays: 3 }));
    assert.equal(r.SnapshotId, snap);
    assert.equal(r.RestoreDuration, 3);
    assert.equal(r.IsPermanentRestore, false);
    assert.ok(r.RestoreStartTime instanceof Date);
    assert.equal((await tierStatus(snap))[0]!.LastTieringOperationStatus, 'temporary-restore-in-progress');
    assert.equal((await described(snap)).StorageTier, 'archive');
    await settle();
    const s = await described(snap);
    assert.equal(s.StorageTier, 'standard');
    const expiry = s.RestoreExpiryTime!.getTime() - r.RestoreStartTime!.getTime();
    assert.ok(expiry >= 3 * DAY_MS && expiry <= 3 * DAY_MS + 60_000, `expiry ${expiry}`);
    const [st] = await tierStatus(snap);
    assert.equal(st!.LastTieringOperationStatus, 'temporary-restore-completed');
    assert.equal(st!.RestoreExpiryTime!.getTime(), s.RestoreExpiryTime!.getTime());
    assert.ok(st!.ArchivalCompleteTime instanceof Date);
    const v = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap }));
    assert.equal(v.SnapshotId, snap);

    const p = await client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, PermanentRestore: true }));
    assert.equal(p.IsPermanentRestore, true);
    assert.equal(p.RestoreDuration, undefined);
    const after = await described(snap);
    assert.equal(after.StorageTier, 'standard');
    assert.equal(after.RestoreExpiryTime, undefined);
    assert.equal((await tierStatus(snap))[0]!.LastTieringOperationStatus, 'permanent-restore-completed');
  });

  it('paginates DescribeSnapshotTierStatus', async () => {
    const first = await client.send(new DescribeSnapshotTierStatusCommand({ MaxResults: 2 }));
    assert.equal(first.SnapshotTierStatuses!.length, 2);
    assert.ok(first.NextToken);
    const rest = await client.send(new DescribeSnapshotTierStatusCommand({ MaxResults: 100, NextToken: first.NextToken }));
    const all = (await client.send(new DescribeSnapshotTierStatusCommand({}))).SnapshotTierStatuses!;
    assert.equal(first.SnapshotTierStatuses!.length + rest.SnapshotTierStatuses!.length, all.length);
  });

  it('keeps the tier across a restart (durable storage)', async () => {
    const first = await startTestServer({ ephemeral: false, dataDir: dir.path, storageDelayMs: DELAY });
    const c = first.client();
    const { snap } = await snapshot(c);
    await c.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' }));
    await settle();
    await first.close();
    const second = await startTestServer({ ephemeral: false, dataDir: dir.path, storageDelayMs: DELAY });
    try {
      const s = (await second.client().send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!;
      assert.equal(s.StorageTier, 'archive');
      const [st] = (await second.client().send(new DescribeSnapshotTierStatusCommand({ Filters: [{ Name: 'snapshot-id', Values: [snap] }] }))).SnapshotTierStatuses!;
      assert.equal(st!.LastTieringOperationStatus, 'archival-completed');
    } finally {
      await second.close();
    }
  });

  it('AWS CLI: modify-snapshot-tier, restore-snapshot-tier and describe-snapshot-tier-status', async () => {
    const { snap } = await snapshot();
    const m = await awsCli(server.url, ['ec2', 'modify-snapshot-tier', '--snapshot-id', snap, '--storage-tier', 'archive', '--output', 'json']);
    assert.equal(m.status, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).SnapshotId, snap);
    await settle();
    const r = await awsCli(server.url, ['ec2', 'restore-snapshot-tier', '--snapshot-id', snap, '--temporary-restore-days', '7', '--output', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { SnapshotId: string; RestoreDuration: number; IsPermanentRestore: boolean };
    assert.deepEqual([out.SnapshotId, out.RestoreDuration, out.IsPermanentRestore], [snap, 7, false]);
    const d = await awsCli(server.url, ['ec2', 'describe-snapshot-tier-status', '--filters', `Name=snapshot-id,Values=${snap}`, '--query', 'SnapshotTierStatuses[0].LastTieringOperationStatus', '--output', 'text']);
    assert.equal(d.status, 0, d.stderr);
    // The CLI is slower than the storage delay: in progress or already done.
    assert.match(d.stdout.trim(), /^temporary-restore-(in-progress|completed)$/);
    const bad = await awsCli(server.url, ['ec2', 'restore-snapshot-tier', '--snapshot-id', 'snap-0123456789abcdef0', '--permanent-restore']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /InvalidSnapshot\.NotFound/);
  });
});
