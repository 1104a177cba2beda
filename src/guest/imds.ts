// The instance metadata service (169.254.169.254), answered in-process when
// the guest runs `curl`. IMDSv1 and v2: session tokens come from a crypto RNG,
// are scoped to this instance, and carry a TTL of 1–21600 s. Paths are data
// (a table of leaves); directory listings are derived from it. The launch key
// is the one given at construction and never re-read from authorized_keys:
// AWS does not update metadata when the key on the instance changes.
import { randomBytes } from 'node:crypto';
import type { GuestMetadata, IamInstanceProfileRef, MetadataOptions, PushedKey } from '../compute/guest-engine.js';

export type { MetadataOptions } from '../compute/guest-engine.js';

export const DEFAULT_METADATA_OPTIONS: MetadataOptions = {
  httpTokens: 'optional',
  httpEndpoint: 'enabled',
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: 'disabled',
};

/** What IMDS answers about the instance: the port's guest metadata. */
export type InstanceMetadata = GuestMetadata;

/** A key pushed with SendSSHPublicKey (the port's type), as managed-ssh-keys/active-keys/<user>/ shows it. */
export type { PushedKey } from '../compute/guest-engine.js';
/** An interface as network/interfaces/macs/<mac>/ shows it (issue 20; the port's type). */
export type { GuestInterface as ImdsInterface } from '../compute/guest-engine.js';

export interface ImdsRequest {
  method: string;
  /** Path with optional query, e.g. /latest/meta-data/instance-id */
  path: string;
  /** Header names in any case. */
  headers: Record<string, string>;
}

export interface ImdsResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string | Buffer;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

/** AWS's error page, byte for byte as IMDS serves it (no trailing newline). */
export function imdsErrorBody(status: number): string {
  const title = `${status} - ${STATUS_TEXT[status] ?? 'Error'}`;
  return (
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    ' <head>\n' +
    `  <title>${title}</title>\n` +
    ' </head>\n' +
    ' <body>\n' +
    `  <h1>${title}</h1>\n` +
    ' </body>\n' +
    '</html>'
  );
}

const VERSIONS = [
  '1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10', '2007-12-15', '2008-02-01', '2008-09-01',
  '2009-04-04', '2011-01-01', '2011-05-01', '2012-01-12', '2014-02-25', '2014-11-05', '2015-10-20', '2016-04-19',
  '2016-06-30', '2016-09-02', '2018-03-28', '2018-08-17', '2018-09-24', '2019-10-01', '2020-10-27', '2021-01-03',
  '2021-03-23', '2021-07-15', '2022-09-24', 'latest',
];

export const TOKEN_TTL_MAX = 21600;

export class MetadataService {
  private readonly tokens = new Map<string, number>();
  private options: MetadataOptions;
  /** The pushed keys as of the request being answered (handleAsync reads them first). */
  private pushed: readonly PushedKey[] = [];

  constructor(
    private readonly md: InstanceMetadata,
    options: Partial<MetadataOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_METADATA_OPTIONS, ...options };
  }

  getOptions(): MetadataOptions {
    return { ...this.options };
  }

  /** Associate/Replace/DisassociateIamInstanceProfile: iam/info follows at once. */
  setIamInstanceProfile(p: IamInstanceProfileRef | undefined): void {
    this.md.iamInstanceProfile = p;
  }

  /** ModifyInstanceMetadataOptions takes effect at once. */
  setOptions(o: Partial<MetadataOptions>): void {
    this.options = { ...this.options, ...o };
  }

  /** Leaves under latest/meta-data/, path → value. */
  private leaves(): Map<string, string> {
    const md = this.md;
    const m = new Map<string, string>();
    const mac = md.interfaces?.[0]?.mac ?? md.mac ?? '0e:00:00:00:00:01';
    const root = md.rootDeviceName ?? '/dev/xvda';
    m.set('ami-id', md.amiId);
    m.set('ami-launch-index', String(md.amiLaunchIndex ?? 0));
    m.set('ami-manifest-path', '(unknown)');
    m.set('block-device-mapping/ami', root.replace(/^\/dev\//, ''));
    m.set('block-device-mapping/root', root);
    for (const [name, device] of Object.entries(md.blockDevices ?? {})) m.set(`block-device-mapping/${name}`, device.replace(/^\/dev\//, ''));
    m.set('hostname', md.localHostname);
    m.set('instance-action', 'none');
    m.set('instance-id', md.instanceId);
    m.set('instance-life-cycle', 'on-demand');
    m.set('instance-type', md.instanceType);
    m.set('local-hostname', md.localHostname);
    m.set('local-ipv4', md.localIpv4);
    m.set('mac', mac);
    if (md.interfaces?.length) {
      for (const i of md.interfaces) {
        const at = `network/interfaces/macs/${i.mac}/`;
        m.set(`${at}device-number`, String(i.deviceNumber));
        m.set(`${at}interface-id`, i.interfaceId);
        m.set(`${at}local-hostname`, i.localHostname);
        m.set(`${at}local-ipv4s`, (i.localIpv4s ?? [i.localIpv4]).join('\n'));
        if (i.ipv6s?.length) m.set(`${at}ipv6s`, i.ipv6s.join('\n'));
        m.set(`${at}mac`, i.mac);
        m.set(`${at}owner-id`, i.ownerId);
        if (i.publicHostname) m.set(`${at}public-hostname`, i.publicHostname);
        if (i.publicIpv4) m.set(`${at}public-ipv4s`, i.publicIpv4);
        m.set(`${at}security-group-ids`, i.securityGroupIds.join('\n'));
        m.set(`${at}security-groups`, i.securityGroups.join('\n'));
        m.set(`${at}subnet-id`, i.subnetId);
        m.set(`${at}subnet-ipv4-cidr-block`, i.subnetCidr);
        m.set(`${at}vpc-id`, i.vpcId);
        m.set(`${at}vpc-ipv4-cidr-block`, i.vpcCidr);
        m.set(`${at}vpc-ipv4-cidr-blocks`, i.vpcCidr);
      }
    } else {
      m.set(`network/interfaces/macs/${mac}/local-ipv4s`, md.localIpv4);
      m.set(`network/interfaces/macs/${mac}/mac`, mac);
      if (md.publicIpv4) m.set(`network/interfaces/macs/${mac}/public-ipv4s`, md.publicIpv4);
    }
    m.set('placement/availability-zone', md.availabilityZone);
    m.set('placement/region', md.region);
    m.set('profile', 'default-hvm');
    if (md.publicHostname) m.set('public-hostname', md.publicHostname);
    if (md.publicIpv4) m.set('public-ipv4', md.publicIpv4);
    if (md.launchKey) m.set('public-keys/0/openssh-key', launchKeyLine(md.launchKey));
    // EC2 Instance Connect: one blob per OS user, each key after its metadata lines, as the
    // ec2-instance-connect agent reads it (#Timestamp is the expiry; no AWS signature line here).
    const byUser = new Map<string, string[]>();
    for (const k of this.pushed) {
      const blob = [`#Timestamp=${Math.floor(k.expiresAt.getTime() / 1000)}`, `#Instance=${md.instanceId}`, `#Caller=arn:aws:iam::${md.accountId ?? '000000000000'}:root`, `#Request=${k.requestId}`, k.publicKey.trim()];
      byUser.set(k.osUser, [...(byUser.get(k.osUser) ?? []), ...blob]);
    }
    for (const [user, lines] of byUser) m.set(`managed-ssh-keys/active-keys/${user}/`, lines.join('\n') + '\n');
    m.set('reservation-id', md.reservationId ?? 'r-' + md.instanceId.slice(2));
    m.set('security-groups', (md.interfaces?.[0]?.securityGroups ?? md.securityGroups ?? ['default']).join('\n'));
    if (md.iamInstanceProfile) {
      // AWS's iam/info document (no role credentials: ec2lite has no IAM to issue them)
      const info = { Code: 'Success', LastUpdated: (md.launchTime ?? new Date(this.now()).toISOString()).replace(/\.\d+Z$/, 'Z'), InstanceProfileArn: md.iamInstanceProfile.arn, InstanceProfileId: md.iamInstanceProfile.id };
      m.set('iam/info', JSON.stringify(info, null, 2));
    }
    m.set('services/domain', 'amazonaws.com');
    m.set('services/partition', 'aws');
    if (this.options.instanceMetadataTags === 'enabled') {
      for (const [k, v] of Object.entries(md.tags ?? {})) m.set(`tags/instance/${k}`, v);
    }
    return m;
  }

  private identityDocument(): string {
    const md = this.md;
    return JSON.stringify(
      {
        accountId: md.accountId ?? '000000000000',
        architecture: 'x86_64',
        availabilityZone: md.availabilityZone,
        billingProducts: null,
        devpayProductCodes: null,
        marketplaceProductCodes: null,
        imageId: md.amiId,
        instanceId: md.instanceId,
        instanceType: md.instanceType,
        kernelId: null,
        pendingTime: md.launchTime ?? new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        privateIp: md.localIpv4,
        ramdiskId: null,
        region: md.region,
        version: '2017-09-30',
      },
      null,
      2,
    );
  }

  /** Resolve a path below a version (e.g. "meta-data/public-keys/") to a body, or undefined for 404. */
  private lookup(rest: string): string | Buffer | undefined {
    const leaves = this.leaves();
    if (rest === '') return ['dynamic', 'meta-data', ...(this.md.userData !== undefined ? ['user-data'] : [])].join('\n');
    if (rest === 'user-data') return this.md.userData;
    if (rest === 'dynamic' || rest === 'dynamic/') return 'instance-identity/';
    if (rest === 'dynamic/instance-identity' || rest === 'dynamic/instance-identity/') return 'document';
    if (rest === 'dynamic/instance-identity/document') return this.identityDocument();
    if (rest !== 'meta-data' && !rest.startsWith('meta-data/')) return undefined;
    const p = rest.slice('meta-data'.length).replace(/^\//, '');
    const key = p.replace(/\/$/, '');
    // public-keys/ lists "<index>=<key name>", not "0/"
    if (key === 'public-keys') return this.md.launchKey ? `0=${this.md.launchKey.name}` : undefined;
    if (!p.endsWith('/') && leaves.has(key)) return leaves.get(key);
    // managed-ssh-keys/active-keys/<user>/ is a leaf whose name ends with a slash, as on EC2
    if (leaves.has(`${key}/`)) return leaves.get(`${key}/`);
    const prefix = key === '' ? '' : key + '/';
    const children: string[] = [];
    for (const leaf of leaves.keys()) {
      if (!leaf.startsWith(prefix)) continue;
      const rem = leaf.slice(prefix.length);
      const i = rem.indexOf('/');
      const child = i < 0 ? rem : rem.slice(0, i + 1);
      if (!children.includes(child)) children.push(child);
    }
    if (children.length === 0) return undefined;
    return children.sort().join('\n');
  }

  /** handle(), after reading what changes outside the guest (EC2 Instance Connect keys). */
  async handleAsync(req: ImdsRequest): Promise<ImdsResponse> {
    this.pushed = this.md.pushedKeys && req.path.includes('meta-data') ? await this.md.pushedKeys().catch(() => []) : [];
    // security-groups, mac and network/…: the groups and addresses as they are now, not at boot
    if (this.md.liveInterfaces && /meta-data\/?(security-groups|mac|network|$)/.test(req.path)) {
      const now = await this.md.liveInterfaces().catch(() => undefined);
      if (now) this.md.interfaces = now;
    }
    return this.handle(req);
  }

  handle(req: ImdsRequest): ImdsResponse {
    const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const path = req.path.split('?')[0]!.replace(/\/{2,}/g, '/');
    const method = req.method.toUpperCase();
    const text = (status: number, body: string | Buffer, extra: [string, string][] = []): ImdsResponse => ({
      status,
      statusText: STATUS_TEXT[status] ?? '',
      headers: [['Content-Type', status === 200 ? 'text/plain' : 'text/html'], ...extra],
      body,
    });
    const err = (status: number) => text(status, imdsErrorBody(status));

    if (this.options.httpEndpoint === 'disabled') return err(403);

    const m = /^\/([^/]+)\/?(.*)$/.exec(path);
    if (path === '/' || path === '') {
      if (method !== 'GET' && method !== 'HEAD') return err(405);
      return text(200, VERSIONS.join('\n'));
    }
    if (!m) return err(404);
    const version = m[1]!;
    const rest = m[2]!;

    if (rest === 'api/token') {
      if (method !== 'PUT') return err(405);
      if (version !== 'latest') return err(403);
      if (h['x-forwarded-for'] !== undefined) return err(403);
      const ttlText = h['x-aws-ec2-metadata-token-ttl-seconds'];
      const ttl = ttlText !== undefined && /^\d+$/.test(ttlText.trim()) ? Number(ttlText.trim()) : NaN;
      if (!(ttl >= 1 && ttl <= TOKEN_TTL_MAX)) return err(400);
      const token = randomBytes(42).toString('base64');
      this.pruneTokens();
      this.tokens.set(token, this.now() + ttl * 1000);
      return text(200, token, [['X-Aws-Ec2-Metadata-Token-Ttl-Seconds', String(ttl)]]);
    }

    if (method !== 'GET' && method !== 'HEAD') return err(405);
    const token = h['x-aws-ec2-metadata-token'];
    let ttlLeft: number | undefined;
    if (token !== undefined) {
      const exp = this.tokens.get(token.trim());
      if (exp === undefined || exp <= this.now()) return err(401);
      ttlLeft = Math.max(0, Math.floor((exp - this.now()) / 1000));
    } else if (this.options.httpTokens === 'required') {
      return err(401);
    }
    if (version !== 'latest' && !VERSIONS.includes(version)) return err(404);
    const body = this.lookup(rest);
    if (body === undefined) return err(404);
    const extra: [string, string][] = ttlLeft === undefined ? [] : [['X-Aws-Ec2-Metadata-Token-Ttl-Seconds', String(ttlLeft)]];
    const r = text(200, method === 'HEAD' ? '' : body, extra);
    // user data is served as bytes (AWS's guide: "the content type of the data is application/octet-stream")
    if (rest === 'user-data') r.headers[0] = ['Content-Type', 'application/octet-stream'];
    return r;
  }

  private pruneTokens(): void {
    const t = this.now();
    for (const [k, exp] of this.tokens) if (exp <= t) this.tokens.delete(k);
    // a guest looping on PUT cannot grow this without bound
    while (this.tokens.size > 1000) this.tokens.delete(this.tokens.keys().next().value!);
  }
}

function launchKeyLine(k: { name: string; publicKey: string }): string {
  const f = k.publicKey.trim().split(/\s+/);
  return `${f[0]} ${f[1]} ${k.name}`;
}
