import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ImdsResponse, MetadataService, imdsErrorBody } from './imds.js';
import { sampleMetadata } from '../../test/helpers/guest.js';

// Bodies as text (user-data alone may be binary).
const text = (r: ImdsResponse) => ({ ...r, body: r.body.toString('utf8') });
const get = (s: MetadataService, path: string, headers: Record<string, string> = {}) => text(s.handle({ method: 'GET', path, headers }));
const token = (s: MetadataService, ttl = '21600', extra: Record<string, string> = {}) =>
  text(s.handle({ method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl, ...extra } }));

describe('MetadataService', () => {
  it('answers IMDSv1 leaves and LF-separated listings', () => {
    const s = new MetadataService(sampleMetadata());
    assert.equal(get(s, '/latest/meta-data/instance-id').body, 'i-0123456789abcdef0');
    assert.equal(get(s, '/latest/meta-data/placement/availability-zone').body, 'us-east-1a');
    const listing = get(s, '/latest/meta-data/').body.split('\n');
    for (const k of ['ami-id', 'hostname', 'instance-id', 'local-ipv4', 'public-ipv4', 'placement/', 'public-keys/']) assert.ok(listing.includes(k), k);
    assert.equal(get(s, '/latest/meta-data/public-keys/').body, '0=dev');
    assert.equal(get(s, '/latest/meta-data/public-keys/0/').body, 'openssh-key');
    assert.match(get(s, '/latest/meta-data/public-keys/0/openssh-key').body, /^ssh-ed25519 AAAA\S+ dev$/);
    assert.equal(get(s, '/latest/meta-data/instance-id').headers.find(([k]) => k === 'Content-Type')?.[1], 'text/plain');
  });

  it('returns AWS 404 page for unknown paths', () => {
    const s = new MetadataService(sampleMetadata());
    const r = get(s, '/latest/meta-data/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body, imdsErrorBody(404));
    assert.match(r.body, /<title>404 - Not Found<\/title>/);
    assert.equal(get(s, '/latest/meta-data/public-keys/').status, 200);
    assert.equal(get(new MetadataService(sampleMetadata({ launchKey: undefined })), '/latest/meta-data/public-keys/').status, 404);
  });

  it('runs the IMDSv2 token flow', () => {
    const s = new MetadataService(sampleMetadata(), { httpTokens: 'required' });
    assert.equal(get(s, '/latest/meta-data/instance-id').status, 401);
    assert.match(get(s, '/latest/meta-data/instance-id').body, /401 - Unauthorized/);
    const t = token(s, '60');
    assert.equal(t.status, 200);
    assert.ok(t.body.length >= 40);
    const r = get(s, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': t.body });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'i-0123456789abcdef0');
    assert.equal(get(s, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': 'forged' }).status, 401);
    // a token from another instance's service is not valid here
    const other = new MetadataService(sampleMetadata());
    assert.equal(get(other, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': t.body }).status, 401);
  });

  it('validates token requests', () => {
    const s = new MetadataService(sampleMetadata());
    assert.equal(token(s, '0').status, 400);
    assert.equal(token(s, '21601').status, 400);
    assert.equal(token(s, 'abc').status, 400);
    assert.equal(s.handle({ method: 'PUT', path: '/latest/api/token', headers: {} }).status, 400);
    assert.equal(token(s, '60', { 'X-Forwarded-For': '1.2.3.4' }).status, 403);
    assert.equal(s.handle({ method: 'PUT', path: '/2021-03-23/api/token', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } }).status, 403);
    assert.equal(token(s, '1').status, 200);
    assert.equal(token(s, '21600').status, 200);
  });

  it('expires tokens by their TTL', () => {
    let now = 1_000_000;
    const s = new MetadataService(sampleMetadata(), {}, () => now);
    const t = token(s, '5').body;
    now += 4_000;
    assert.equal(get(s, '/latest/meta-data/ami-id', { 'X-aws-ec2-metadata-token': t }).status, 200);
    now += 1_000;
    assert.equal(get(s, '/latest/meta-data/ami-id', { 'X-aws-ec2-metadata-token': t }).status, 401);
  });

  it('is forbidden when the endpoint is disabled', () => {
    const s = new MetadataService(sampleMetadata());
    s.setOptions({ httpEndpoint: 'disabled' });
    assert.equal(get(s, '/latest/meta-data/').status, 403);
  });

  it('serves user-data as given (bytes), and 404 with no user data', () => {
    const none = new MetadataService(sampleMetadata());
    assert.equal(get(none, '/latest/user-data').status, 404);
    assert.deepEqual(get(none, '/latest/').body.split('\n'), ['dynamic', 'meta-data']);
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00]);
    const s = new MetadataService({ ...sampleMetadata(), userData: bytes });
    const r = s.handle({ method: 'GET', path: '/latest/user-data', headers: {} });
    assert.equal(r.status, 200);
    assert.ok(Buffer.isBuffer(r.body) && r.body.equals(bytes));
    assert.deepEqual(r.headers[0], ['Content-Type', 'application/octet-stream']);
    assert.deepEqual(get(s, '/latest/').body.split('\n'), ['dynamic', 'meta-data', 'user-data']);
  });
  it('lists an interface\'s secondary private and IPv6 addresses under its MAC', () => {
    const iface = {
      mac: '0a:00:00:00:00:01',
      deviceNumber: 0,
      interfaceId: 'eni-0123456789abcdef0',
      localIpv4: '10.0.1.10',
      localHostname: 'ip-10-0-1-10.ec2.internal',
      ownerId: '123456789012',
      securityGroupIds: ['sg-1'],
      securityGroups: ['default'],
      subnetId: 'subnet-1',
      subnetCidr: '10.0.1.0/24',
      vpcId: 'vpc-1',
      vpcCidr: '10.0.0.0/16',
    };
    const at = '/latest/meta-data/network/interfaces/macs/0a:00:00:00:00:01/';
    const withMore = new MetadataService(sampleMetadata({ interfaces: [{ ...iface, localIpv4s: ['10.0.1.10', '10.0.1.11'], ipv6s: ['2600:1f18::a'] }] }));
    assert.equal(get(withMore, `${at}local-ipv4s`).body, '10.0.1.10\n10.0.1.11');
    assert.equal(get(withMore, `${at}ipv6s`).body, '2600:1f18::a');
    const plain = new MetadataService(sampleMetadata({ interfaces: [iface] }));
    assert.equal(get(plain, `${at}local-ipv4s`).body, '10.0.1.10');
    assert.equal(get(plain, `${at}ipv6s`).status, 404);
  });
});
