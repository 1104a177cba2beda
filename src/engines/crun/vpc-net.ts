// The private network of real instances: one network namespace per VPC on this node (held by a
// relay process, vpc-relay.ts) with one slirp4netns for the VPC's way out to the Internet, and a
// veth pair per instance (its end is the guest's eth0, with the ENI's MAC, the private address and
// a default route to the subnet's router, .1, as on EC2). Nothing is added to the host's network
// namespace.
//
//   guest eth0 ──veth── VPC namespace ──tap── slirp4netns (user mode, host loopback refused) → Internet
//                            │
//                      relay: connections to the VPC's addresses, decided by the security groups
//
// Inside the VPC namespace the VPC's CIDRs are local routes, looked up only for packets arriving
// from an instance link (policy rule "iif <link> lookup local", with the local table moved after
// main): a guest's connection to a peer's private address lands on the relay, which asks the
// server (security groups, compute/network/admission.ts) and connects to the peer from the
// caller's own address. Locally sent replies use main, where each instance's address is a /32 on
// its link. UDP and ICMP from a link skip the local table (policy rules by protocol): the kernel
// forwards them to the peer's link through an nftables filter made from the members' security
// groups (vpc-filter.ts); VPC addresses that are no member's are blackholed in main, so they never
// leave for slirp4netns. Overlapping VPCs never meet: each has its own namespace.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MemberRules } from '../../compute/guest-engine.js';
import { ipIn, nftIn } from './netns-run.js';
import { peerRuleset, type PeerMember } from './vpc-filter.js';
import { guestListeningPorts } from './listen-ports.js';
import { readLine } from './splice.js';

const run = promisify(execFile);
const RELAY = fileURLToPath(new URL('./vpc-relay.js', import.meta.url));

/** slirp4netns' network inside each VPC namespace: link-local, so it never overlaps a VPC (AWS refuses 169.254.0.0/16 for VPCs). */
export const SLIRP_NET = { cidr: '169.254.64.0/24', gateway: '169.254.64.2', dns: '169.254.64.3' };
const MTU = 65520;
/** How often members' listening sockets are read (a new listener is reachable within this). */
const PORT_POLL_MS = 1000;

/** One instance's place on its VPC's network. */
export interface VpcLink {
  /** The VPC (one namespace per VPC on this node). */
  vpcKey: string;
  vpcCidr: string;
  subnetCidr: string;
  privateIp: string;
  mac?: string;
}

/** Decides a connection to a member from a peer of its VPC (true, or the refusal reason). */
export type PeerGate = (port: number, from: { address: string; instanceId: string }) => Promise<true | string>;

/** A member's security groups now, for the VPC's UDP/ICMP filter; undefined: nothing restricts it. */
export type PeerRules = () => Promise<MemberRules | undefined>;

/** How often the filter is rebuilt from the groups (more members: less often, each rebuild asks each one). */
const filterEveryMs = (members: number) => Math.max(1000, members * 50);

interface Member {
  instanceId: string;
  pid: number;
  link: VpcLink;
  dev: string;
  gate: PeerGate;
  rules: PeerRules;
  ports: number[];
  onPorts: Set<() => void>;
}

interface Vpc {
  key: string;
  relay: ChildProcess;
  relayPid: number;
  slirp: ChildProcess;
  dialPath: string;
  members: Map<string, Member>;
  cidrs: Set<string>;
  next: number;
  ports: string;
  /** The filter last loaded, and when it is next rebuilt. */
  ruleset: string;
  filterDue: number;
}

export class VpcNetworks {
  private readonly vpcs = new Map<string, Promise<Vpc>>();
  private readonly hub: net.Server;
  private listening: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Socket paths are made from this prefix (short: unix socket paths are limited to 107 bytes). */
    private readonly socketPrefix: string,
    private readonly log: (line: string) => void,
  ) {
    this.hub = net.createServer((s) => this.onPeer(s));
  }

  /** Links the instance (its PID 1's network namespace) to its VPC; eth0 is configured when this resolves. */
  async attach(instanceId: string, pid: number, link: VpcLink, gate: PeerGate, rules: PeerRules): Promise<void> {
    const vpc = await this.vpc(link.vpcKey);
    const n = vpc.next++;
    const dev = `v${n}`;
    const gateway = routerAddress(link.subnetCidr);
    const prefix = link.subnetCidr.split('/')[1];
    const local = [link.vpcCidr, link.subnetCidr].filter((cidr) => !vpc.cidrs.has(cidr));
    await run('ip', ['link', 'add', 'name', dev, 'netns', String(vpc.relayPid), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(pid), ...(link.mac ? ['address', link.mac] : [])]);
    await Promise.all([
      ipIn(vpc.relayPid, [
        ...local.flatMap((cidr) => [`route replace local ${cidr} dev lo table local`, `route replace blackhole ${cidr}`]),
        `link set ${dev} mtu ${MTU} up`,
        `route add ${link.privateIp}/32 dev ${dev}`,
        `rule add pref 90 iif ${dev} ipproto udp lookup main`,
        `rule add pref 90 iif ${dev} ipproto icmp lookup main`,
        `rule add pref 100 iif ${dev} lookup local`,
      ]).then(() => local.forEach((cidr) => vpc.cidrs.add(cidr))),
      ipIn(pid, ['link set lo up', `addr add ${link.privateIp}/${prefix} dev eth0`, `link set eth0 mtu ${MTU} up`, `route add default via ${gateway} dev eth0`]),
    ]);
    vpc.members.set(instanceId, { instanceId, pid, link, dev, gate, rules, ports: [], onPorts: new Set() });
    // (until the filter knows the member, its UDP and ICMP to peers are dropped: it learns it now)
    vpc.filterDue = 0;
    this.poll();
  }

  /** The instance is gone (its link went with its namespace): forget it and its policy rule. */
  async detach(instanceId: string, vpcKey: string): Promise<void> {
    const vpc = await this.vpcs.get(vpcKey)?.catch(() => undefined);
    const m = vpc?.members.get(instanceId);
    if (!vpc || !m) return;
    vpc.members.delete(instanceId);
    vpc.filterDue = 0;
    await ipIn(vpc.relayPid, [`rule del pref 90 iif ${m.dev} ipproto udp`, `rule del pref 90 iif ${m.dev} ipproto icmp`, `rule del pref 100 iif ${m.dev}`]).catch(() => undefined);
    this.pushPorts(vpc);
  }

  /** TCP ports the instance listens on at its private address (polled). */
  ports(instanceId: string, vpcKey: string): { now(): readonly number[]; onChange(fn: () => void): () => void } {
    const member = async () => (await this.vpcs.get(vpcKey))?.members.get(instanceId);
    let known: Member | undefined;
    void member().then((m) => (known = m));
    return {
      now: () => known?.ports ?? [],
      onChange: (fn) => {
        void member().then((m) => {
          known = m;
          m?.onPorts.add(fn);
          if (m?.ports.length) fn();
        });
        return () => known?.onPorts.delete(fn);
      },
    };
  }

  /**
   * A connection to the instance's private address and `port` from its subnet's router address
   * (what a connection through the public address shows inside). Rejects when nothing listens.
   */
  async dial(instanceId: string, vpcKey: string, port: number): Promise<net.Socket> {
    const vpc = await this.vpc(vpcKey);
    const m = vpc.members.get(instanceId);
    if (!m) throw new Error(`${instanceId} is not on its VPC's network`);
    const s = net.connect({ path: vpc.dialPath, allowHalfOpen: true });
    s.on('error', () => undefined);
    s.write(`dial ${routerAddress(m.link.subnetCidr)} ${m.link.privateIp} ${port}\n`);
    const answer = await readLine(s);
    if (answer !== 'ok') {
      s.destroy();
      throw new Error(`connection to ${m.link.privateIp}:${port} refused`);
    }
    s.removeAllListeners('error');
    return s;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const p of this.vpcs.values()) {
      const v = await p.catch(() => undefined);
      if (!v) continue;
      v.relay.kill('SIGKILL');
      v.slirp.kill('SIGKILL');
      rmSync(v.dialPath, { force: true });
    }
    this.vpcs.clear();
    if (this.listening) await new Promise<void>((resolve) => this.hub.close(() => resolve()));
    rmSync(`${this.socketPrefix}-hub.sock`, { force: true });
  }

  /** The relay asks: may SRC (a member) open DST:PORT (a member)? */
  private onPeer(s: net.Socket): void {
    s.on('error', () => s.destroy());
    void readLine(s).then(async (line) => {
      const m = /^peer (\S+) (\S+) (\d+)$/.exec(line ?? '');
      let answer = 'no';
      if (m) {
        const [, src, dst, port] = m;
        for (const p of this.vpcs.values()) {
          const v = await p.catch(() => undefined);
          const members = v ? [...v.members.values()] : [];
          const from = members.find((x) => x.link.privateIp === src);
          const to = members.find((x) => x.link.privateIp === dst);
          if (!from || !to) continue;
          const verdict = await to.gate(Number(port), { address: src!, instanceId: from.instanceId }).catch((e: Error) => e.message);
          if (verdict === true) answer = 'ok';
          else this.log(`${to.instanceId}: refused tcp/${port} from ${src} (${from.instanceId}): ${verdict}`);
          break;
        }
      }
      s.end(`${answer}\n`);
    });
  }

  private vpc(key: string): Promise<Vpc> {
    let p = this.vpcs.get(key);
    if (!p) {
      p = this.startVpc(key);
      this.vpcs.set(key, p);
      p.catch(() => this.vpcs.delete(key));
    }
    return p;
  }

  private async startVpc(key: string): Promise<Vpc> {
    const hubPath = `${this.socketPrefix}-hub.sock`;
    this.listening ??= (async () => {
      rmSync(hubPath, { force: true });
      await new Promise<void>((resolve, reject) => {
        this.hub.once('error', reject);
        this.hub.listen(hubPath, () => resolve());
      });
    })();
    await this.listening;
    const dialPath = `${this.socketPrefix}-${this.vpcs.size}-${Date.now() % 100000}.sock`;
    const relay = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', '-n', '--', process.execPath, RELAY, hubPath, dialPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    relay.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    await new Promise<void>((resolve, reject) => {
      relay.stdout!.once('data', () => resolve());
      relay.once('exit', (code) => reject(new Error(`VPC relay exited (${code}): ${err.trim()}`)));
    });
    relay.removeAllListeners('exit');
    relay.once('exit', (code) => this.log(`VPC ${key}: relay exited (${code}) ${err.trim()}`));
    const relayPid = relay.pid!;
    // The namespace's routing: main before local, the local table only for packets from instance links.
    await ipIn(relayPid, ['link set lo up', 'rule add pref 200 lookup main', 'rule add pref 300 lookup local', 'rule del pref 0', 'rule del pref 32766']);
    // Between instances nothing but TCP (relayed) passes until the filter knows the members.
    const ruleset = peerRuleset([]);
    try {
      await nftIn(relayPid, ruleset);
    } catch (e) {
      relay.kill('SIGKILL');
      throw e;
    }
    const slirp = spawn(
      'setpriv',
      [
        '--pdeathsig', 'KILL', '--', 'slirp4netns', '--configure', `--mtu=${MTU}`, '--disable-host-loopback', `--cidr=${SLIRP_NET.cidr}`,
        '--ready-fd=3', '--exit-fd=4', '--netns-type=path', `/proc/${relayPid}/ns/net`, 'tap0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    let serr = '';
    slirp.stderr!.on('data', (d: Buffer) => (serr = (serr + d.toString()).slice(-2000)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`slirp4netns not ready after 10 s: ${serr.trim()}`)), 10_000);
        (slirp.stdio[3] as NodeJS.ReadableStream).once('data', () => {
          clearTimeout(t);
          resolve();
        });
        slirp.once('exit', (code) => {
          clearTimeout(t);
          reject(new Error(`slirp4netns exited (${code}): ${serr.trim()}`));
        });
      });
    } catch (e) {
      relay.kill('SIGKILL');
      slirp.kill('SIGKILL');
      throw e;
    }
    slirp.removeAllListeners('exit');
    return { key, relay, relayPid, slirp, dialPath, members: new Map(), cidrs: new Set(), next: 1, ports: '', ruleset, filterDue: 0 };
  }

  /** Reads every member's listening ports now and then; tells the relay and the members' watchers what changed. */
  private poll(): void {
    this.timer ??= setInterval(() => void this.pollOnce(), PORT_POLL_MS);
    void this.pollOnce();
  }

  private polling = false;
  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const p of this.vpcs.values()) {
        const v = await p.catch(() => undefined);
        if (!v) continue;
        for (const m of v.members.values()) {
          const ports = await guestListeningPorts(m.pid, m.link.privateIp);
          if (ports.join(',') === m.ports.join(',')) continue;
          m.ports = ports;
          for (const fn of m.onPorts) fn();
        }
        this.pushPorts(v);
        if (Date.now() >= v.filterDue) await this.refreshFilter(v);
      }
    } finally {
      this.polling = false;
    }
  }

  /** Rebuilds the VPC's UDP/ICMP filter from its members' groups; loads it when it changed. */
  private async refreshFilter(v: Vpc): Promise<void> {
    v.filterDue = Date.now() + filterEveryMs(v.members.size);
    const members: PeerMember[] = await Promise.all(
      [...v.members.values()].map(async (m) => {
        // (a member whose groups cannot be read now is allowed nothing until the next rebuild)
        const r = await m.rules().catch(() => ({ groupIds: [], rules: [] }));
        return { dev: m.dev, privateIp: m.link.privateIp, groupIds: r?.groupIds ?? [], rules: r?.rules };
      }),
    );
    const ruleset = peerRuleset(members);
    if (ruleset === v.ruleset) return;
    try {
      await nftIn(v.relayPid, ruleset);
      v.ruleset = ruleset;
    } catch (e) {
      this.log(`VPC ${v.key}: UDP/ICMP filter not loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private pushPorts(v: Vpc): void {
    const union = [...new Set([...v.members.values()].flatMap((m) => m.ports))].sort((a, b) => a - b).join(' ');
    if (union === v.ports) return;
    v.ports = union;
    v.relay.stdin!.write(`ports ${union}\n`);
  }
}

/** The subnet's router, its first address after the network's (.1 in a /20 from x.y.z.0). */
export function routerAddress(cidr: string): string {
  const [base = '0.0.0.0'] = cidr.split('/');
  const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
