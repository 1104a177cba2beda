// crun (issue 24): real instances' networks as security groups allow. A guest's own TCP service is
// published on its public address once a rule opens the port (a rule change applies to the next
// connection); instances of one VPC reach each other on private addresses by group-to-group and
// CIDR rules, from their real addresses (TCP, UDP and ping); an instance of another VPC does not; IMDS's PUT answer
// leaves with the hop limit as its IP TTL (seen on the wire inside the guest).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeSecurityGroupsCommand,
  ImportKeyPairCommand,
  ModifyInstanceMetadataOptionsCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type EC2Client,
  type IpPermission,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/curl', '/usr/bin/crun', '/usr/bin/slirp4netns', '/usr/sbin/nft'], 'the real-instance network tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-net-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let ami: string;
/** The web server (group `web`), a client in the default group of the same VPC, and one in another VPC. */
let web: { id: string; privateIp: string; publicIp: string };
let peer: { id: string; privateIp: string };
let stranger: { id: string; privateIp: string };
let webGroup: string;
let defaultGroup: string;

async function launch(extra: Partial<RunInstancesCommandInput> = {}, userData?: string): Promise<{ id: string; privateIp: string; publicIp: string }> {
  const r = await client.send(
    new RunInstancesCommand({ ...extra, ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'k', UserData: userData && Buffer.from(userData).toString('base64') }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
  const i = await describeInstance(client, id);
  return { id, privateIp: i.PrivateIpAddress!, publicIp: i.PublicIpAddress ?? '' };
}

const ssh = async (id: string, command: string) => {
  const r = await sshInstance(server.url, id, command, { key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new' });
  return r;
};

/** curl's exit code and HTTP status (7: nothing listens; 56: the connection was reset, i.e. refused by a group). */
async function curlFromHost(url: string): Promise<{ code: number; status: string }> {
  const r = await runAsync('/usr/bin/curl', ['-s', '-m', '10', '-o', '/dev/null', '-w', '%{http_code}', url]);
  return { code: r.code ?? -1, status: r.stdout };
}

/** From inside an instance: curl's exit code and status. */
async function curlFrom(id: string, url: string): Promise<{ code: number; status: string }> {
  const r = await ssh(id, `curl -s -m 5 -o /dev/null -w '%{http_code}' ${url}; echo " $?"`);
  const [status = '', code = '-1'] = r.stdout.trim().split(' ');
  return { code: Number(code), status };
}

const tcp = (port: number, extra: Partial<IpPermission>): IpPermission => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...extra });

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'k', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
  defaultGroup = (await client.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups![0]!.GroupId!;
  webGroup = (await client.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }))).GroupId!;
  // A web server inside `web` started by its user data, logging who connects (python3's http.server).
  web = await launch(
    { SecurityGroupIds: [webGroup] },
    '#!/bin/bash\nmkdir -p /srv/www && echo hello-from-web > /srv/www/index.html\ncd /srv/www && nohup python3 -m http.server 8080 >/var/log/http.log 2>&1 </dev/null &\n',
  );
  peer = await launch();
  const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.1.0.0/24' }))).Subnet!.SubnetId!;
  stranger = await launch({ SubnetId: subnet });
  const r = await ssh(web.id, 'cloud-init status --wait >/dev/null; for i in $(seq 100); do curl -s localhost:8080/ >/dev/null && break; sleep 0.1; done; curl -s localhost:8080/');
  assert.equal(r.stdout, 'hello-from-web\n', r.stderr);
});
after(async () => {
  await server.close();
  dir.cleanup();
});

/**
 * curl's exit for a refused connection: 56 (accepted, then reset: the relay listens and the group
 * refuses) or 7 (reset at once: no listener on that port at that moment). Both refuse, as AWS's
 * silent drop would; neither is a response.
 */
const refused = (code: number | null): boolean => code === 56 || code === 7;

describe('real instances on their networks', () => {
  it("publishes the guest's port on its public address only while a rule allows it", async () => {
    const url = `http://${web.publicIp}:8080/`;
    // Nothing published until the engine has seen the listener; then refused by the group (reset).
    let before = await curlFromHost(url);
    for (let i = 0; i < 100 && before.code === 7; i++) {
      await new Promise((r) => setTimeout(r, 100));
      before = await curlFromHost(url);
    }
    assert.ok(refused(before.code), `refused by the group (reset), got ${JSON.stringify(before)}`);
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [tcp(8080, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })] }));
    const body = await runAsync('/usr/bin/curl', ['-s', '-m', '10', url]);
    assert.equal(body.stdout, 'hello-from-web\n');
    // Port 22 stays the SSH endpoint's; a port nothing listens on is not published.
    assert.equal((await curlFromHost(`http://${web.publicIp}:8081/`)).code, 7);
    await client.send(new RevokeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [tcp(8080, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })] }));
    assert.ok(refused((await curlFromHost(url)).code), 'the next connection after the revoke is refused');
  });

  it('instances of one VPC reach each other on private addresses by group and CIDR rules, from their own address', async () => {
    const url = `http://${web.privateIp}:8080/`;
    assert.ok(refused((await curlFrom(peer.id, url)).code), 'no rule: refused');
    const byGroup = tcp(8080, { UserIdGroupPairs: [{ GroupId: defaultGroup }] });
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [byGroup] }));
    assert.deepEqual(await curlFrom(peer.id, url), { code: 0, status: '200' });
    // The web server saw the peer's own private address.
    assert.match((await ssh(web.id, 'sudo cat /var/log/http.log')).stdout, new RegExp(`^${peer.privateIp.replaceAll('.', '\\.')} .*"GET / HTTP/1.1" 200`, 'm'));
    await client.send(new RevokeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [byGroup] }));
    assert.ok(refused((await curlFrom(peer.id, url)).code), 'group rule revoked: refused');
    const byCidr = tcp(8080, { IpRanges: [{ CidrIp: `${peer.privateIp}/32` }] });
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [byCidr] }));
    assert.deepEqual(await curlFrom(peer.id, url), { code: 0, status: '200' });
    // A port nothing listens on inside the VPC: refused as a closed port is.
    assert.notEqual((await curlFrom(peer.id, `http://${web.privateIp}:8081/`)).code, 0);
    await client.send(new RevokeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [byCidr] }));
  });

  it('an instance of another VPC does not reach them, even with the port open to all', async () => {
    const all = tcp(8080, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [all] }));
    try {
      assert.equal((await curlFrom(peer.id, `http://${web.privateIp}:8080/`)).status, '200', 'open to its own VPC');
      const r = await curlFrom(stranger.id, `http://${web.privateIp}:8080/`);
      assert.notEqual(r.status, '200', JSON.stringify(r));
      assert.doesNotMatch((await ssh(web.id, 'sudo cat /var/log/http.log')).stdout, new RegExp(`^${stranger.privateIp.replaceAll('.', '\\.')} `, 'm'));
    } finally {
      await client.send(new RevokeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [all] }));
    }
  });

  it('pings and UDP between instances of one VPC pass as their groups allow, and stop when the rule goes', async () => {
    // (a rule reaches the VPC's filter within about a second, as on AWS a change takes a moment)
    const eventually = async (id: string, command: string, want: boolean) => {
      let r = await ssh(id, command);
      for (let i = 0; i < 20 && (r.code === 0) !== want; i++) {
        await new Promise((res) => setTimeout(res, 250));
        r = await ssh(id, command);
      }
      return r;
    };
    const ping = (ip: string) => `ping -c 1 -W 1 ${ip}`;
    assert.notEqual((await ssh(peer.id, ping(web.privateIp))).code, 0, 'no ICMP rule in web: no answer');
    const echo = { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, UserIdGroupPairs: [{ GroupId: defaultGroup }] };
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [echo] }));
    const answered = await eventually(peer.id, ping(web.privateIp), true);
    assert.equal(answered.code, 0, answered.stdout + answered.stderr);
    assert.match(answered.stdout, new RegExp(`1 received`));
    // The other way the default group decides: it allows only its own members, and web is not one.
    assert.notEqual((await ssh(web.id, ping(peer.privateIp))).code, 0, 'web is not in the default group');

    // UDP: an echo service on web; a datagram from peer is answered once a rule allows its port.
    const serve = `nohup python3 -c 'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("0.0.0.0", 5353))\nwhile True:\n    d, a = s.recvfrom(100)\n    s.sendto(b"echo " + d, a)' >/dev/null 2>&1 </dev/null &`;
    await ssh(web.id, serve);
    const ask = `python3 -c 'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.settimeout(1)\ns.sendto(b"hi", ("${web.privateIp}", 5353))\nprint(s.recvfrom(100)[0].decode())'`;
    assert.notEqual((await ssh(peer.id, ask)).code, 0, 'no UDP rule: no answer');
    const udp = { IpProtocol: 'udp', FromPort: 5353, ToPort: 5353, IpRanges: [{ CidrIp: `${peer.privateIp}/32` }] };
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [udp] }));
    const reply = await eventually(peer.id, ask, true);
    assert.equal(reply.stdout, 'echo hi\n', reply.stderr);

    await client.send(new RevokeSecurityGroupIngressCommand({ GroupId: webGroup, IpPermissions: [echo, udp] }));
    assert.notEqual((await eventually(peer.id, ping(web.privateIp), false)).code, 0, 'rule revoked: no answer');
    assert.notEqual((await ssh(peer.id, ask)).code, 0, 'UDP rule revoked: no answer');
    // An address of the VPC that is no instance's: nothing answers, nothing leaves for the Internet.
    assert.notEqual((await ssh(peer.id, ping('172.31.15.250'))).code, 0);
  });

  it("IMDS's PUT answer leaves with the hop limit as its IP TTL", async () => {
    // Captured on the guest's IMDS link (AF_PACKET) while curl asks for a token.
    const sniff = [
      'import socket, subprocess',
      's = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))',
      "s.bind(('imds0', 0x0800))",
      's.settimeout(10)',
      "p = subprocess.Popen(['curl', '-s', '-X', 'PUT', '-H', 'X-aws-ec2-metadata-token-ttl-seconds: 60', 'http://169.254.169.254/latest/api/token'], stdout=subprocess.DEVNULL)",
      'while True:',
      '    ip, addr = s.recvfrom(65535)',
      '    ihl = (ip[0] & 15) * 4',
      '    tcp = ip[ihl:]',
      "    if ip[9] == 6 and socket.inet_ntoa(ip[12:16]) == '169.254.169.254' and tcp[(tcp[12] >> 4) * 4:].startswith(b'HTTP/1.1 200'):",
      '        print(ip[8]); break',
      'p.wait()',
    ].join('\n');
    const ttl = async () => (await ssh(peer.id, `echo ${Buffer.from(sniff).toString('base64')} | base64 -d | sudo python3 -`)).stdout.trim();
    assert.equal(await ttl(), '1', 'the default hop limit');
    await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: peer.id, HttpPutResponseHopLimit: 3 }));
    assert.equal(await ttl(), '3');
    await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: peer.id, HttpPutResponseHopLimit: 1 }));
    assert.equal(await ttl(), '1');
  });
});
