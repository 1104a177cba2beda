// The one security group evaluation: protocols, port ranges, IPv4/IPv6 sources, group peers,
// direction, and what a refusal names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluateAcl, type GroupRules } from './rules.js';
import type { AclEntry } from './model.js';
import { formatCidr6, freeAddress, isReserved4, network6, overlaps4, parseCidr4, parseCidr6, usableAddresses } from './cidr.js';

const group = (rules: GroupRules['rules']): GroupRules[] => [{ groupId: 'sg-1', groupName: 'web', rules }];
const ssh = (source: string, sourceGroupIds?: string[]) => ({ protocol: 'tcp', port: 22, source, sourceGroupIds });

describe('security group evaluation', () => {
  it('allows by protocol, port range and CIDR; -1 allows everything', () => {
    const g = group([{ egress: false, ipProtocol: 'tcp', fromPort: 20, toPort: 25, cidrIpv4: '127.0.0.0/8', ruleId: 'sgr-1' }]);
    assert.deepEqual(evaluate(g, ssh('127.0.0.1')), { allowed: true, groupId: 'sg-1', ruleId: 'sgr-1' });
    assert.equal(evaluate(g, ssh('10.0.0.1')).allowed, false);
    assert.equal(evaluate(g, { protocol: 'tcp', port: 26, source: '127.0.0.1' }).allowed, false);
    assert.equal(evaluate(g, { protocol: 'udp', port: 22, source: '127.0.0.1' }).allowed, false);
    assert.equal(evaluate(group([{ egress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' }]), ssh('192.0.2.1')).allowed, true);
    // a protocol number and its name are the same protocol
    assert.equal(evaluate(group([{ egress: false, ipProtocol: '6', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }]), ssh('::ffff:127.0.0.1')).allowed, true);
  });

  it('matches IPv6 sources, group peers, and only the asked direction', () => {
    assert.equal(evaluate(group([{ egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' }]), ssh('::1')).allowed, true);
    assert.equal(evaluate(group([{ egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '2001:db8::/32' }]), ssh('::1')).allowed, false);
    const peer = group([{ egress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: 'sg-2' }]);
    assert.equal(evaluate(peer, ssh('172.31.0.9', ['sg-2'])).allowed, true);
    assert.equal(evaluate(peer, ssh('172.31.0.9')).allowed, false);
    const out = group([{ egress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' }]);
    assert.equal(evaluate(out, ssh('127.0.0.1')).allowed, false);
    assert.equal(evaluate(out, { ...ssh('127.0.0.1'), direction: 'egress' }).allowed, true);
  });

  it('names what is missing', () => {
    const v = evaluate(group([]), ssh('127.0.0.1'));
    assert.deepEqual(v, { allowed: false, missing: 'no inbound rule allows tcp/22 from 127.0.0.1 in security groups sg-1 (web)' });
  });
});

describe('subnet arithmetic', () => {
  it('reserves 5 addresses and hands out the first free one after the first four', () => {
    const c = parseCidr4('10.0.1.0/24')!;
    assert.equal(usableAddresses(c), 251);
    assert.equal(usableAddresses(parseCidr4('172.31.0.0/20')!), 4091);
    assert.equal(freeAddress(c, new Set()), '10.0.1.4');
    assert.equal(freeAddress(c, new Set(['10.0.1.4'])), '10.0.1.5');
    assert.ok(isReserved4(c, parseCidr4('10.0.1.255/32')!.base));
    assert.ok(overlaps4(parseCidr4('10.0.0.0/16')!, parseCidr4('10.0.5.0/24')!));
    assert.ok(!overlaps4(parseCidr4('10.0.0.0/24')!, parseCidr4('10.0.1.0/24')!));
    assert.equal(parseCidr4('10.0.0.1/33'), undefined);
  });
});

describe('prefix lists as a source', () => {
  it('matches the addresses the list holds now', () => {
    const g = group([{ egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, prefixListId: 'pl-1' }]);
    assert.equal(evaluate(g, { ...ssh('127.0.0.1'), prefixLists: new Map([['pl-1', ['127.0.0.0/8']]]) }).allowed, true);
    assert.equal(evaluate(g, { ...ssh('127.0.0.1'), prefixLists: new Map([['pl-1', ['10.0.0.0/8']]]) }).allowed, false);
    assert.equal(evaluate(g, ssh('127.0.0.1')).allowed, false, 'an unknown list holds nothing');
  });
});

describe('network ACL evaluation (stateless, ordered)', () => {
  const entries = (...e: AclEntry[]): AclEntry[] => [
    ...e,
    { ruleNumber: 32767, egress: false, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
    { ruleNumber: 32767, egress: true, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
  ];
  const inbound = { direction: 'ingress' as const, protocol: 'tcp', port: 22, peer: '127.0.0.1' };
  it('takes the lowest-numbered matching entry, whatever the order given', () => {
    const acl = entries(
      { ruleNumber: 100, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
      { ruleNumber: 50, egress: false, protocol: '6', ruleAction: 'deny', cidrBlock: '0.0.0.0/0', portRange: { from: 22, to: 22 } },
    );
    const v = evaluateAcl('acl-1', acl, inbound);
    assert.deepEqual(v.allowed, false);
    assert.match((v as { missing: string }).missing, /inbound rule 50 of network ACL acl-1 denies tcp\/22 from 127\.0\.0\.1/);
    assert.deepEqual(evaluateAcl('acl-1', acl, { ...inbound, port: 80 }), { allowed: true, ruleNumber: 100 });
  });
  it('denies with * when nothing matches, and checks each direction on its own', () => {
    const acl = entries({ ruleNumber: 10, egress: false, protocol: '6', ruleAction: 'allow', cidrBlock: '127.0.0.0/8', portRange: { from: 22, to: 22 } });
    assert.equal(evaluateAcl('acl-1', acl, inbound).allowed, true);
    const reply = evaluateAcl('acl-1', acl, { direction: 'egress', protocol: 'tcp', port: 50000, peer: '127.0.0.1' });
    assert.equal(reply.allowed, false);
    assert.equal((reply as { ruleNumber: unknown }).ruleNumber, '*');
    assert.equal(evaluateAcl('acl-1', acl, { ...inbound, peer: '10.0.0.1' }).allowed, false);
    assert.equal(evaluateAcl('acl-1', acl, { ...inbound, protocol: 'udp' }).allowed, false);
  });
  it('matches IPv6 entries against IPv6 peers only', () => {
    const acl = entries({ ruleNumber: 1, egress: false, protocol: '-1', ruleAction: 'allow', ipv6CidrBlock: '::/0' });
    assert.equal(evaluateAcl('acl-1', acl, { ...inbound, peer: '::1' }).allowed, true);
    assert.equal(evaluateAcl('acl-1', acl, inbound).allowed, false);
  });
});

describe('IPv6 CIDR text', () => {
  it('clears host bits and writes the short form', () => {
    assert.equal(formatCidr6(network6(parseCidr6('1080::1:200C:417A/112')!)), '1080::1:200c:0/112');
    assert.equal(formatCidr6(network6(parseCidr6('2600:1f18:abcd:12ff::/56')!)), '2600:1f18:abcd:1200::/56');
    assert.equal(formatCidr6(network6(parseCidr6('2001:db8:0:0:1:0:0:1/128')!)), '2001:db8::1:0:0:1/128');
  });
});
