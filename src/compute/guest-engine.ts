// The guest-engine port: the one socket through which the compute layer runs an instance's
// operating system. The runtime (instance-runtime.ts) boots, stops and hot-plugs guests only
// through these interfaces; the SSH transport (ssh/transport.ts) reaches a guest only through
// `RunningGuest.authorizedKeys` and the session handlers it supplies. An engine is an adapter:
// the simulated OS in src/guest/ is one, a real-process engine (crun) another; only src/app/
// constructs engines and chooses one per image (the catalogue's `engines`), as it chooses the store.
//
// Nothing here names an engine's formats: volumes are ids, root filesystems are image keys,
// sessions are byte streams. Written against Kubernetes' CRI split (runtime vs. image service)
// and gliderlabs/ssh's handler-per-session model.
import type { Duplex, Writable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import type { CatalogueImage } from './image-catalogue.js';
import type { VolumeBytes } from './volume-bytes.js';

/** The instance metadata options (ModifyInstanceMetadataOptions), as IMDS applies them. */
export interface MetadataOptions {
  httpTokens: 'optional' | 'required';
  httpEndpoint: 'enabled' | 'disabled';
  httpPutResponseHopLimit: number;
  instanceMetadataTags: 'enabled' | 'disabled';
}

/** What the instance metadata service answers about the instance (and what first boot uses). */
export interface GuestMetadata {
  instanceId: string;
  amiId: string;
  instanceType: string;
  region: string;
  availabilityZone: string;
  accountId?: string;
  localIpv4: string;
  /** e.g. ip-172-31-5-10.ec2.internal (also the first boot's hostname). */
  localHostname: string;
  publicIpv4?: string;
  publicHostname?: string;
  mac?: string;
  reservationId?: string;
  amiLaunchIndex?: number;
  /** Root device name as the image declares it (/dev/xvda, /dev/sda1). */
  rootDeviceName?: string;
  securityGroups?: string[];
  /** The instance's network interfaces (issue 20), primary first: IMDS's network/interfaces/macs/<mac>/ tree. */
  interfaces?: GuestInterface[];
  launchTime?: string;
  /** The key pair given at launch: first boot puts it in the default user's authorized_keys. */
  launchKey?: { name: string; publicKey: string };
  tags?: Record<string, string>;
  /** Raw user data bytes (cloud-init runs them at boot; IMDS serves them as they are). */
  userData?: Buffer;
  /**
   * EC2 Instance Connect keys valid now, read from the store at each request (another node may
   * push): IMDS's managed-ssh-keys/active-keys. The runtime supplies it.
   */
  pushedKeys?: () => Promise<readonly PushedKey[]>;
  /**
   * The interfaces as they are now (groups change with ModifyInstanceAttribute and
   * ModifyNetworkInterfaceAttribute, addresses with Elastic IPs), read from the store at each
   * request for the network tree: `interfaces` is the boot-time value. The runtime supplies it.
   */
  liveInterfaces?: () => Promise<GuestInterface[] | undefined>;
  /** block-device-mapping/ entries beside ami and root: ebs1, ebs2 … and ephemeral0 … → device (sdf, sdb). */
  blockDevices?: Record<string, string>;
  /** The IAM instance profile associated with the instance (iam/info); changes with its association. */
  iamInstanceProfile?: IamInstanceProfileRef;
}

/** An instance's IAM instance profile as its metadata shows it (iam/info). */
export interface IamInstanceProfileRef {
  arn: string;
  id: string;
}

/** A network interface as the guest's metadata shows it (issue 20). */
export interface GuestInterface {
  mac: string;
  deviceNumber: number;
  interfaceId: string;
  localIpv4: string;
  localHostname: string;
  publicIpv4?: string;
  publicHostname?: string;
  ownerId: string;
  securityGroupIds: string[];
  securityGroups: string[];
  subnetId: string;
  subnetCidr: string;
  vpcId: string;
  vpcCidr: string;
  /** Every private IPv4 address of the interface, the primary first (`local-ipv4s`); `localIpv4` alone when absent. */
  localIpv4s?: string[];
  /** Its IPv6 addresses (`ipv6s`). */
  ipv6s?: string[];
}

/** A key pushed with SendSSHPublicKey, as managed-ssh-keys/active-keys/<user>/ shows it. */
export interface PushedKey {
  osUser: string;
  publicKey: string;
  requestId: string;
  expiresAt: Date;
}

/** A volume as the guest sees it: its id (the engine's volume bytes hold its contents) and API device name. */
export interface GuestVolume {
  volumeId: string;
  /** The API device name (/dev/xvda, /dev/sdf); the engine maps it to the kernel's name (xvdf). */
  device: string;
  sizeGiB: number;
}

/** Resource limits from the instance type (an engine applies what it can: cgroups, budgets). */
export interface GuestResources {
  vcpus?: number;
  memoryMiB?: number;
  /** Most processes at once (a real engine's pids.max). */
  pids?: number;
}

/** Everything an engine needs to boot one instance. */
export interface GuestSpec {
  instanceId: string;
  /** The image the root filesystem was first made from (its catalogue entry: default user, platform…). */
  image: CatalogueImage;
  /** The root volume: its bytes exist in the engine's volume bytes (the runtime creates them from `rootSource` first). */
  root: GuestVolume;
  /** Other volumes attached at boot, in attachment order. */
  attached: GuestVolume[];
  metadata: GuestMetadata;
  metadataOptions: MetadataOptions;
  /**
   * The host key its SSH endpoint presents (ED25519): its OpenSSH private key text and its public
   * line with a comment (derived when asked: only an engine with a real OS wants them). crun
   * installs it as the guest's own host key, so what cloud-init prints and `/etc/ssh` holds match
   * what clients see.
   */
  hostKey?: { privateOpenSsh(): string; publicLine(comment: string): string };
  resources?: GuestResources;
  /**
   * The instance's status check failed (a step of its boot ended its host each time it ran): the
   * boot does not run its scripts again (cloud-init reports the error), as an impaired instance on
   * AWS keeps its broken boot; a stop clears it (the runtime).
   */
  impaired?: { since: string };
  /** The engine found a step of this guest's boot ending its host again and again: its status check fails. */
  onImpaired?(since: Date, reason: string): void;
  /**
   * The security groups at the instance's private address, for an engine that carries traffic
   * between instances (crun): whether a new TCP connection to `port` is allowed now, from a peer
   * instance (by its private address) or from outside; true, or why not (a log line).
   */
  traffic?: TrafficGate;
}

/** Security groups asked per new connection (compute/network/admission.ts decides). */
export interface TrafficGate {
  admit(port: number, from: { address: string; instanceId?: string }): Promise<true | string>;
  /**
   * The instance's groups and their rules as they are now, for an engine that filters UDP and ICMP
   * between instances in its own network (crun: nftables); undefined when nothing restricts it.
   */
  rules(): Promise<MemberRules | undefined>;
}

/** An instance's security groups for a packet filter: group references stay ids (the engine knows its members' groups). */
export interface MemberRules {
  groupIds: string[];
  rules: MemberRule[];
}

export interface MemberRule {
  egress: boolean;
  /** `-1`, `tcp`, `udp`, `icmp` or a protocol number. */
  protocol: string;
  /** Ports (TCP/UDP) or ICMP type and code; -1: all. */
  fromPort: number;
  toPort: number;
  /** The other side: an IPv4 CIDR or a group (one of the two). */
  cidr?: string;
  groupId?: string;
}

/** TCP ports a guest serves on its private address, to publish on its public address (crun). */
export interface GuestPorts {
  /** Ports some process listens on now (on all addresses or the private one). */
  listening(): readonly number[];
  /** Called when that list changes; returns the unsubscribe function. */
  onChange(fn: () => void): () => void;
  /** A connection to the guest's `port` on its private address; rejects when nothing listens there. */
  dial(port: number): Promise<Duplex>;
}

/**
 * The target user's authorized_keys lines, read at each attempt from the guest's own files under
 * OpenSSH's StrictModes rules; or why sshd would refuse (a log line in sshd's words).
 */
export type AuthorizedKeysLookup = { ok: true; lines: string[] } | { ok: false; reason: string; /** No such account (sshd asks no AuthorizedKeysCommand then). */ unknownUser?: boolean };

export interface TerminalSize {
  cols: number;
  rows: number;
  /** Pixels (0 when the client does not say). */
  width: number;
  height: number;
}

/** A pty-req: the client's terminal. */
export interface PtyRequest extends TerminalSize {
  term: string;
  /** RFC 4254 terminal modes as the client sent them (opcode → value). */
  modes: Readonly<Record<string, number | undefined>>;
}

/** How a session ended: an exit status, or a signal (`ssh` reports "killed by signal"). */
export type SessionExit = number | { signal: string; coreDumped?: boolean; message?: string };

/**
 * One SSH session channel, engine-neutral. `stream` carries the client's bytes in (stdin; 'end'
 * at the client's EOF, 'close' when the client hangs up) and the session's output out, with the
 * client's flow control (`write` returns false → wait for 'drain'); `stderr` is the extended
 * data stream. The engine ends the session with `exit` (exit-status or exit-signal, EOF, close).
 */
export interface SessionChannel {
  readonly user: string;
  readonly remoteAddress: string;
  readonly stream: Duplex;
  readonly stderr: Writable;
  /** The pty-req, when the client asked for a terminal before exec/shell. */
  readonly pty: PtyRequest | undefined;
  /** Environment the client sent (`env` requests: LANG, LC_*…), for the engine to apply or ignore. */
  readonly env: Readonly<Record<string, string>>;
  /** Terminal resizes (window-change) after the session started. */
  onResize(fn: (size: TerminalSize) => void): void;
  /** `signal` requests (RFC 4254 names without SIG: INT, TERM, KILL…). */
  onSignal(fn: (signal: string) => void): void;
  exit(how: SessionExit): void;
}

/**
 * What a session runs, supplied by the engine. A handler owns the channel until it calls
 * `exit`. Absent handlers are refused (as sshd refuses a subsystem it does not know).
 */
export interface SessionHandlers {
  /** `ssh host 'command'` (with or without a pty). */
  exec(ch: SessionChannel, command: string): void;
  /** A login shell: interactive on a pty, else a script read from stdin. */
  shell(ch: SessionChannel): void;
  /**
   * A subsystem on raw channel bytes (a real engine runs the image's sftp-server for "sftp"):
   * what runs it, or undefined to refuse it (asked before the channel is accepted). For "sftp",
   * `sftpProtocol` wins when the engine supplies it.
   */
  subsystem?(name: string, user: string): ((ch: SessionChannel) => void) | undefined;
  /**
   * SFTP at the protocol level, for an engine that emulates its filesystem: the transport parses
   * the packets and the engine answers them on the object `open()` returns (ssh2's SFTP server).
   * `onClientEof` fires when the client ends its input (sftp-server exits then). False: refused.
   */
  sftpProtocol?(session: SftpSession): boolean;
  /** Local port forwarding (`ssh -L`): a direct-tcpip channel to a port inside the guest; absent = refused. */
  directTcpip?(user: string, target: { host: string; port: number }, stream: Duplex): boolean;
}

/** An SFTP subsystem request, for `SessionHandlers.sftpProtocol`. */
export interface SftpSession {
  readonly user: string;
  readonly remoteAddress: string;
  /** Accepts the request: ssh2's SFTP server stream for this channel. */
  open(): SFTPWrapper;
  onClientEof(fn: () => void): void;
}

/** A booted guest: the runtime's handle on it until stop() or abandon(). */
export interface RunningGuest {
  readonly instanceId: string;
  /** Who logs in by default (the image's default user). */
  readonly defaultUser: string;
  /** AttachVolume while running: the device appears now (hot plug). Rejects when the guest cannot take it. */
  attach(volume: GuestVolume): Promise<void>;
  /** DetachVolume while running: mounts of it vanish, its contents are flushed, the device goes. */
  detach(volumeId: string): Promise<void>;
  /** Whether a block device for the volume is present (attached and not detached). */
  hasVolume(volumeId: string): boolean;
  /**
   * Whether the volume's filesystem is mounted in the guest (DetachVolume without Force then stays
   * `busy`, as on AWS). Optional: an engine without it counts as "not mounted". An engine whose
   * guests live elsewhere (guest processes) answers asynchronously.
   */
  isMounted?(volumeId: string): boolean | Promise<boolean>;
  /**
   * ModifyVolume grew the volume: the block device shows the new size now (partition and filesystem
   * keep theirs until growpart/resize2fs). Optional: without it the guest sees the size at next boot.
   */
  resize?(volumeId: string, sizeGiB: number): void | Promise<void>;
  /** Saves every volume's pending writes now (before a snapshot or image is taken of them). */
  flush(): Promise<void>;
  /** Stop/terminate/reboot/hand-over: sessions end, volumes are flushed, processes go. */
  stop(): Promise<void>;
  /** Ends without saving: the instance now runs on another node, whose writes must not be overwritten, or terminates with every volume deleted. */
  abandon(): Promise<void>;
  /** ModifyInstanceMetadataOptions on a running instance (applied when it resolves: a real network's hop limit is on its route). */
  setMetadataOptions(options: Partial<MetadataOptions>): void | Promise<void>;
  /** Associate/Replace/DisassociateIamInstanceProfile on a running instance: its metadata follows at once. */
  setIamInstanceProfile(profile: IamInstanceProfileRef | undefined): void;
  /** The user's authorized_keys under StrictModes (the SSH transport asks at every attempt). */
  authorizedKeys(user: string): Promise<AuthorizedKeysLookup>;
  /**
   * The tail (at most `maxBytes`) of what the guest's boot wrote to its console log (cloud-init's
   * /var/log/cloud-init-output.log: user data's output, its errors), for GetConsoleOutput. Optional.
   */
  consoleLog?(maxBytes: number): Promise<string | undefined>;
  /** What SSH sessions run. */
  readonly sessions: SessionHandlers;
  /**
   * Resolves when the guest's sshd would accept connections (a real image: once cloud-init's init
   * stage has written the users and keys). Until then its SSH port refuses connections and the
   * instance shows `pending`. Absent: at once.
   */
  readonly sshReady?: Promise<void>;
  /** The guest's own TCP services, for an engine with a real network (published as security groups allow). */
  readonly ports?: GuestPorts;
}

/** One guest engine (simulated, crun…): boots guests and owns their volumes' bytes and format. */
export interface GuestEngine {
  /** Its name in the catalogue's `engines` list and in logs ('simulated', 'crun'). */
  readonly name: string;
  /**
   * Whether any node on the shared database can boot an instance of this engine (its volume
   * bytes live in the database). False: bytes live on one host's disk, so the instance is pinned
   * to the node that runs it (node-ownership.ts).
   */
  readonly portableVolumes: boolean;
  /** Where this engine keeps volume and snapshot contents, by operation. */
  readonly volumes: VolumeBytes;
  /**
   * Its guests hold nothing on the host but their volumes' bytes (no addresses, no processes of
   * their own): a terminated instance's guest may then finish stopping after TerminateInstances
   * answers, and only its volumes wait for it. Absent: the runtime waits for the stop.
   */
  readonly stopsLate?: boolean;
  /**
   * Why this host cannot run the image's instances now (a missing tool, an unbuilt image), or
   * undefined when it can; RunInstances refuses with the reason before creating anything (crun).
   */
  unfit?(imageKey: string): string | undefined;
  /**
   * Boots a guest whose volumes' bytes exist; sessions and verbs may start as soon as it resolves.
   * It may resolve before the boot itself is over (guest/worker-engine.ts): they then wait for it.
   */
  start(spec: GuestSpec): Promise<RunningGuest>;
  /** Server shutdown, after every guest stopped: releases what the engine holds. */
  close(): Promise<void>;
}
