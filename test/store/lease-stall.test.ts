// A node whose own event loop stalls (here: the whole `ec2lite serve` process stopped with
// SIGSTOP for twice its lease time) keeps its guests (issue 19): its watchdog fires late, renews
// first, and finds its leases still its own by the database's clock — where it used to stop every
// guest ("lease renewals failing"). An SSH session that ran across the stall ends normally.
// (Adoption when a node is really gone: test/store/instance-leases.test.ts, SIGKILL.)
// Real OpenSSH client; PostgreSQL (the engine several nodes share). Emulator-only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateKeyPairCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { engines, freshSchemaUrl } from '../helpers/store-engines.js';
import { images, waitForState } from '../helpers/instances.js';
import { sshTarget } from '../helpers/ssh.js';
import { requireTools, tempDir, writePrivate } from '../helpers/tools.js';
import { startServeNode, stopServeNode, type ServeNode } from '../helpers/serve-node.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh'], 'the lease stall test');

const postgres = engines().find((e) => e.name === 'postgres')!;
const dir = tempDir('ec2lite-stall-');
const LEASE_MS = 1500;

/** The one launch of this file: port 22 opened as a user would (security groups). */
async function launch(ec2: EC2Client, keyName: string): Promise<string> {
  const img = await images(ec2);
  const r = await ec2.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, KeyName: keyName }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(ec2, id, 'running');
  await allowSsh(ec2, id);
  return id;
}

describe('a node whose event loop stalls keeps its guests', { skip: postgres.skip, timeout: 120_000 }, () => {
  let node: ServeNode;
  let ec2: EC2Client;
  before(async () => {
    node = await startServeNode(await freshSchemaUrl(), {
      env: { EC2LITE_RSA_POOL_SIZE: '1', EC2LITE_SSH_PORT: '0', EC2LITE_INSTANCE_LEASE_RENEW_MS: '100', EC2LITE_INSTANCE_LEASE_MS: String(LEASE_MS) },
    });
    ec2 = new EC2Client({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' }, maxAttempts: 1 });
  });
  after(async () => {
    ec2?.destroy();
    if (node?.child.signalCode === null && node.child.exitCode === null) node.child.kill('SIGCONT');
    await stopServeNode(node);
  });

  it('an SSH session running across a stall twice the lease time ends normally; no guest was stopped', async () => {
    const k = await ec2.send(new CreateKeyPairCommand({ KeyName: 'stall-key', KeyType: 'ed25519' }));
    const key = writePrivate(dir.file('stall-key.pem'), k.KeyMaterial!);
    const id = await launch(ec2, 'stall-key');
    const t = await sshTarget(node.url, id);
    const ssh = spawn('/usr/bin/ssh', [
      '-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes',
      '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10',
      '-i', key, '-p', String(t.port), `${t.user}@${t.host}`, 'echo started; sleep 2; echo survived',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    ssh.stdout.on('data', (d: Buffer) => (out += d.toString()));
    ssh.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number>((resolve) => ssh.on('close', (code) => resolve(code ?? -1)));
    while (!out.includes('started')) await sleep(20);

    // the node's event loop stops (as a long synchronous step would stop it), past its leases' expiry
    node.child.kill('SIGSTOP');
    await sleep(2 * LEASE_MS);
    node.child.kill('SIGCONT');

    assert.equal(await closed, 0, err);
    assert.equal(out, 'started\nsurvived\n');
    assert.match(node.stderr(), /event loop was \d+ ms late; renewing before judging its leases/);
    assert.doesNotMatch(node.stderr(), /stopping \d+ guests/);
    assert.doesNotMatch(node.stderr(), /adopted/);
    const health = (await (await fetch(`${node.url}/_ec2lite/health`)).json()) as { runningInstances: number };
    assert.equal(health.runningInstances, 1);
  });
});
