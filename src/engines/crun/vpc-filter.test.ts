// The VPC namespace's UDP/ICMP filter (vpc-filter.ts): what each security group rule becomes, and
// that nft takes the whole script (checked by nft itself in a throw-away network namespace).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { peerRuleset, type PeerMember } from './vpc-filter.js';

const web: PeerMember = {
  dev: 'v1',
  privateIp: '172.31.0.4',
  groupIds: ['sg-web'],
  rules: [
    { egress: true, protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' },
    { egress: false, protocol: 'icmp', fromPort: 8, toPort: -1, groupId: 'sg-default' },
    { egress: false, protocol: 'icmp', fromPort: 3, toPort: 4, cidr: '10.0.0.0/8' },
    { egress: false, protocol: 'udp', fromPort: 5353, toPort: 5353, cidr: '172.31.0.5/32' },
    { egress: false, protocol: '17', fromPort: 1000, toPort: 2000, groupId: 'sg-web' },
    { egress: false, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
    { egress: false, protocol: '50', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' },
    { egress: false, protocol: 'udp', fromPort: 53, toPort: 53, groupId: 'sg-nobody' },
    { egress: false, protocol: 'udp', fromPort: 53, toPort: 53, cidr: '2001:db8::/32' },
  ],
};
const peer: PeerMember = { dev: 'v2', privateIp: '172.31.0.5', groupIds: ['sg-default'], rules: [{ egress: true, protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' }] };
const open: PeerMember = { dev: 'v3', privateIp: '172.31.0.6', groupIds: [], rules: undefined };

const chainOf = (script: string, name: string): string[] => {
  const start = script.indexOf(`  chain ${name} {\n`);
  assert.ok(start >= 0, `chain ${name}`);
  const body = script.slice(start).split('\n').slice(1);
  return body.slice(0, body.indexOf('  }')).map((l) => l.trim());
};

describe('the VPC filter for UDP and ICMP between instances', () => {
  const script = peerRuleset([web, peer, open]);

  it('judges only traffic from one instance link to another; replies and related errors pass', () => {
    assert.deepEqual(chainOf(script, 'forward'), ['type filter hook forward priority 0; policy accept;', 'iifname "v*" oifname "v*" jump peers']);
    const peers = chainOf(script, 'peers');
    assert.equal(peers[0], 'ct state established,related accept');
    assert.equal(peers[1], 'meta l4proto != { udp, icmp } drop');
    assert.equal(peers.at(-1), 'drop');
  });

  it("a new flow needs the sender's outbound rule and then the receiver's inbound rule", () => {
    assert.deepEqual(chainOf(script, 'out_v2'), ['ip daddr 0.0.0.0/0 meta l4proto { udp, icmp } jump admit']);
    assert.match(chainOf(script, 'admit')[0]!, /^ip daddr vmap \{ 172\.31\.0\.4 : jump in_v1, 172\.31\.0\.5 : jump in_v2, 172\.31\.0\.6 : jump in_v3 \}$/);
  });

  it('rules become matches: ICMP type and code, UDP ports, groups as their members’ addresses; TCP, other protocols, IPv6 and empty groups are left out', () => {
    assert.deepEqual(chainOf(script, 'in_v1'), [
      'ip saddr { 172.31.0.5 } icmp type 8 accept',
      'ip saddr 10.0.0.0/8 icmp type 3 icmp code 4 accept',
      'ip saddr 172.31.0.5/32 udp dport 5353 accept',
      'ip saddr { 172.31.0.4 } udp dport 1000-2000 accept',
    ]);
    // the default group's member allows nothing inbound (no inbound rule given)
    assert.deepEqual(chainOf(script, 'in_v2'), []);
  });

  it('an instance nothing restricts passes both ways', () => {
    assert.deepEqual(chainOf(script, 'out_v3'), ['meta l4proto { udp, icmp } jump admit']);
    assert.deepEqual(chainOf(script, 'in_v3'), ['meta l4proto { udp, icmp } accept']);
  });

  it('nft takes the script, with members and without (a throw-away network namespace)', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
    for (const s of [script, peerRuleset([])]) {
      const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: s, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
  });
});
