// Security groups filter for real: the real OpenSSH client is refused without a rule, let in with
// one, refused again after the rule is revoked, while an established session stays; `ec2lite ssh`
// names the missing rule; `--security-groups off` serves every connection. AWS CLI for the rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { awsCli } from '../helpers/awscli.js';
import { images, waitForState } from '../helpers/instances.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { sshInstance, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the security group tests');

const dir = tempDir('ec2lite-sg-');
const key = dir.file('sg.pem');

async function setUp(server: TestServer): Promise<{ client: EC2Client; id: string }> {
  const client = server.client();
  const img = await images(client);
  const k = await client.send(new CreateKeyPairCommand({ KeyName: 'sg' }));
  await writeFile(key, k.KeyMaterial!, { mode: 0o600 });
  const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, KeyName: 'sg' }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  return { client, id };
}

const cli = (server: TestServer, ...args: string[]) => awsCli(server.url, ['ec2', ...args]);

describe('security groups at the SSH endpoint (enforced by default)', () => {
  let server: TestServer;
  let id = '';
  before(async () => {
    server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
    ({ id } = await setUp(server));
  });
  after(() => server.close());
  const ssh = (command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });

  it('refuses a login the default group does not allow, before the SSH banner', async () => {
    const r = await ssh('whoami');
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Connection closed|kex_exchange_identification|Connection reset/);
    // A plain TCP client reads the reason instead of a banner.
    const t = await sshTarget(server.url, id);
    const text = await new Promise<string>((resolve) => {
      const socket = connect(t.port, t.host);
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
    });
    assert.match(text, /^ec2lite: connection refused: i-[0-9a-f]{17}: no inbound rule allows tcp\/22/);
    assert.doesNotMatch(text, /SSH-2\.0/);
    const cmd = await runAsync(process.execPath, ['dist/src/cli/main.js', 'ssh', id, '-i', key, '--endpoint', server.url, 'whoami']);
    assert.equal(cmd.code, 255);
    assert.match(cmd.stderr, new RegExp(`${id} refuses SSH from this host: no inbound rule allows tcp/22 from 127\\.0\\.0\\.1 in security groups sg-[0-9a-f]{17} \\(default\\)`));
    assert.match(cmd.stderr, /aws ec2 authorize-security-group-ingress --group-id sg-[0-9a-f]{17} --protocol tcp --port 22 --cidr 0\.0\.0\.0\/0/);
  });

  it('lets it in once the README line authorizes tcp/22, and keeps an open session after a revoke', async () => {
    const add = await cli(server, 'authorize-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0');
    assert.equal(add.status, 0, add.stderr);
    const ok = await ssh('whoami');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'ec2-user\n');

    // An established session (a command that waits for input) outlives the revoke, as tracked connections do.
    const t = await sshTarget(server.url, id);
    const session = spawn('/usr/bin/ssh', ['-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key, '-p', String(t.port), `${t.user}@${t.host}`, 'read line; echo "got $line"'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    session.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((r) => session.on('close', r));
    await new Promise((r) => setTimeout(r, 1500)); // logged in and waiting

    const revoke = await cli(server, 'revoke-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0');
    assert.equal(revoke.status, 0, revoke.stderr);
    const refused = await ssh('whoami');
    assert.equal(refused.code, 255, 'a new connection is refused at once');

    session.stdin.end('still-here\n');
    assert.equal(await closed, 0);
    assert.equal(out, 'got still-here\n');
  });

  it('matches the source address: 127.0.0.1/32 allows a loopback client, 10.0.0.0/8 does not', async () => {
    await cli(server, 'authorize-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '10.0.0.0/8');
    assert.equal((await ssh('true')).code, 255);
    await cli(server, 'authorize-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '127.0.0.1/32');
    assert.equal((await ssh('true')).code, 0);
  });

  it('the metadata service shows the interface: mac, security-groups, the macs/<mac>/ tree', async () => {
    const described = JSON.parse((await cli(server, 'describe-instances', '--instance-ids', id)).stdout).Reservations[0].Instances[0];
    const eni = described.NetworkInterfaces[0];
    const imds = (path: string) =>
      `T=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/${path}; echo`;
    const r = await ssh([imds('mac'), imds('security-groups'), imds(`network/interfaces/macs/${eni.MacAddress}/subnet-id`), imds(`network/interfaces/macs/${eni.MacAddress}/vpc-ipv4-cidr-block`), imds(`network/interfaces/macs/${eni.MacAddress}/interface-id`)].join('; '));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [eni.MacAddress, 'default', described.SubnetId, '172.31.0.0/16', eni.NetworkInterfaceId]);
  });
});

describe('Elastic IPs: the SSH endpoint follows the address', () => {
  let server: TestServer;
  let client: EC2Client;
  let id = '';
  before(async () => {
    server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
    ({ client, id } = await setUp(server));
    const add = await cli(server, 'authorize-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0');
    assert.equal(add.status, 0, add.stderr);
  });
  after(() => server.close());
  const ssh = (command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts_eip') });
  const described = async () => JSON.parse((await cli(server, 'describe-instances', '--instance-ids', id)).stdout).Reservations[0].Instances[0];

  it('associate → the instance answers on the Elastic IP, through stop/start; disassociate → a new address', async () => {
    const alloc = JSON.parse((await cli(server, 'allocate-address', '--domain', 'vpc')).stdout);
    assert.match(alloc.AllocationId, /^eipalloc-[0-9a-f]{17}$/);
    const before = await described();
    const assoc = await cli(server, 'associate-address', '--allocation-id', alloc.AllocationId, '--instance-id', id);
    assert.equal(assoc.status, 0, assoc.stderr);
    assert.equal((await described()).PublicIpAddress, alloc.PublicIp);
    assert.notEqual(before.PublicIpAddress, alloc.PublicIp);
    assert.equal((await sshTarget(server.url, id)).host, alloc.PublicIp);
    assert.equal((await ssh('whoami')).stdout, 'ec2-user\n');
    const addresses = JSON.parse((await cli(server, 'describe-addresses', '--filters', `Name=instance-id,Values=${id}`)).stdout).Addresses;
    assert.deepEqual(addresses.map((a: { PublicIp: string; AssociationId: string }) => a.PublicIp), [alloc.PublicIp]);
    const inUse = await cli(server, 'release-address', '--allocation-id', alloc.AllocationId);
    assert.notEqual(inUse.status, 0);
    assert.match(inUse.stderr, /InvalidIPAddress\.InUse/);

    await cli(server, 'stop-instances', '--instance-ids', id);
    await waitForState(client, id, 'stopped');
    assert.equal((await described()).PublicIpAddress, alloc.PublicIp, 'an Elastic IP stays while stopped');
    await cli(server, 'start-instances', '--instance-ids', id);
    await waitForState(client, id, 'running');
    assert.equal((await sshTarget(server.url, id)).host, alloc.PublicIp);
    assert.equal((await ssh('whoami')).code, 0);

    const dis = await cli(server, 'disassociate-address', '--association-id', addresses[0].AssociationId);
    assert.equal(dis.status, 0, dis.stderr);
    const after = await described();
    assert.notEqual(after.PublicIpAddress, alloc.PublicIp);
    assert.equal((await sshTarget(server.url, id)).host, after.PublicIpAddress);
    assert.equal((await ssh('whoami')).code, 0);
    assert.equal((await cli(server, 'release-address', '--allocation-id', alloc.AllocationId)).status, 0);
  });
});

describe('security groups off (--security-groups off)', () => {
  let server: TestServer;
  let id = '';
  before(async () => {
    server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, enforceSecurityGroups: false });
    ({ id } = await setUp(server));
  });
  after(async () => {
    await server.close();
    dir.cleanup();
  });

  it('serves every connection, as before security groups existed', async () => {
    const r = await sshInstance(server.url, id, 'whoami', { key, knownHosts: dir.file('known_hosts2') });
    assert.equal(r.code, 0, r.stderr);
  });
});
