// The crun engine behind the guest-engine port (compute/guest-engine.ts): images from the cache,
// an instance = a CrunGuest (engine.ts, guest.ts) + its IMDS link + the session handlers the port's
// SSH transport runs (sessions.ts). Volume bytes are host directories (volume-bytes.ts), not
// portable between nodes: the runtime pins a real instance to the node that runs it.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestEngine, GuestSpec, RunningGuest } from '../../compute/guest-engine.js';
import type { CatalogueImage } from '../../compute/image-catalogue.js';
import { CrunEngine } from './engine.js';
import { ImdsHub, type ImdsService } from './imds.js';
import { authorizedKeyLine } from './first-boot.js';
import { ImageCache } from './images.js';
import { crunSessions } from './sessions.js';
import type { PeerGate, PeerRules, VpcLink } from './vpc-net.js';

export interface CrunGuestEngineOptions {
  /** A directory no other live server uses (state-dir.ts). */
  stateDir: string;
  /** Directories of dead runs (state-dir.ts): cleared with this one's leftovers; `removeAfter`: then deleted. */
  staleStateDirs?: readonly { dir: string; removeAfter: boolean }[];
  imageCache: string;
  /** Image keys to offer as AMIs (serve --real-images). */
  imageKeys: string[];
  /** PID 1 of its instances (serve --real-init): a reaper, or the image's systemd. */
  init?: 'reaper' | 'systemd';
  log: (line: string) => void;
  /** The metadata service per instance (app/ hands in the one simulated instances use: same answers, same tokens). */
  metadataService: (metadata: GuestSpec['metadata'], options: GuestSpec['metadataOptions']) => ImdsService;
}

export interface CrunGuestEngine extends GuestEngine {
  /** The catalogue entries of the images it offers (DescribeImages lists them). */
  images(): CatalogueImage[];
  unfit(imageKey: string): string | undefined;
  /** At server start, before instances resume: ends what a killed server left (crun state, cgroups). */
  clearLeftovers(): Promise<string[]>;
}

export function crunGuestEngine(o: CrunGuestEngineOptions): CrunGuestEngine {
  const images = new ImageCache(o.imageCache);
  // Short socket paths (unix socket paths are limited to 107 bytes), one set per state directory.
  const socketPrefix = join(tmpdir(), `ec2lite-${createHash('sha256').update(o.stateDir).digest('hex').slice(0, 12)}`);
  const engine = new CrunEngine({ stateDir: o.stateDir, images, log: o.log, socketPrefix: `${socketPrefix}-vpc`, init: o.init });
  const imds = new ImdsHub(`${socketPrefix}-imds.sock`);
  return {
    name: 'crun',
    portableVolumes: false,
    volumes: engine.volumes,
    images(): CatalogueImage[] {
      return o.imageKeys.map((key) => {
        const def = images.definition(key);
        if (!def) throw new Error(`unknown real image '${key}'`);
        const m = images.manifest(key);
        // Listed even when not built yet (a launch then says why it cannot start): the AMI is what the server offers.
        return {
          key,
          name: m?.name ?? `${def.namePrefix}-unbuilt`,
          description: def.description,
          ownerId: def.ownerId,
          usageOperation: 'RunInstances',
          creationDate: m?.builtAt ?? new Date(0).toISOString(),
          defaultUser: def.defaultUser,
          rootDeviceName: '/dev/xvda',
          rootDeviceType: 'ebs',
          architecture: 'x86_64',
          platformDetails: 'Linux/UNIX',
          engines: ['crun'],
        };
      });
    },
    unfit: (key) => engine.unfit(key),
    clearLeftovers: async () => {
      const cleared = await engine.clearLeftovers();
      for (const stale of o.staleStateDirs ?? []) {
        const dead = new CrunEngine({ stateDir: stale.dir, images, log: o.log, socketPrefix: `${socketPrefix}-vpc` });
        cleared.push(...(await dead.clearLeftovers()));
        if (stale.removeAfter) rmSync(stale.dir, { recursive: true, force: true });
      }
      return cleared;
    },
    close: async () => {
      await imds.close();
      await engine.networks.close();
      engine.reader.close();
      engine.spares.close();
    },
    async start(spec: GuestSpec): Promise<RunningGuest> {
      const md = spec.metadata;
      const fqdn = md.localHostname;
      const link = vpcLink(spec);
      const gate: PeerGate = (port, from) => spec.traffic?.admit(port, from) ?? Promise.resolve(true);
      const rules: PeerRules = async () => spec.traffic?.rules();
      const metadata = o.metadataService(md, spec.metadataOptions);
      let imdsAddress: string | undefined;
      const guest = await engine.start({
        instanceId: spec.instanceId,
        imageKey: spec.image.key,
        rootVolumeId: spec.root.volumeId,
        rootDevice: spec.root.device,
        rootSizeGiB: spec.root.sizeGiB,
        attached: spec.attached,
        instanceType: md.instanceType,
        hostname: fqdn.split('.')[0]!,
        fqdn,
        privateIp: md.localIpv4,
        defaultUser: spec.image.defaultUser,
        launchKey: md.launchKey && authorizedKeyLine(md.launchKey),
        userData: md.userData,
        hostKey: spec.hostKey && { private: spec.hostKey.privateOpenSsh(), public: spec.hostKey.publicLine(`root@${fqdn.split('.')[0]!}`) },
        link,
        gate,
        rules,
        alongside: async (pid) => void (imdsAddress = await imds.attach(pid, metadata, spec.metadataOptions.httpPutResponseHopLimit)),
      }).catch((e: unknown) => {
        if (imdsAddress) imds.detach(imdsAddress);
        throw e;
      });
      const imdsLink = imdsAddress!;
      const { initDone } = engine.runCloudInit(guest);
      const sessions = crunSessions(guest, { local: () => ({ host: md.publicIpv4 ?? md.localIpv4, port: 22 }), log: o.log });
      const end = async () => {
        sessions.killAll();
        await guest.stop();
        imds.detach(imdsLink);
        await engine.networks.detach(spec.instanceId, link.vpcKey);
      };
      const watched = engine.networks.ports(spec.instanceId, link.vpcKey);
      return {
        instanceId: spec.instanceId,
        defaultUser: spec.image.defaultUser,
        attach: (v) => engine.attachVolume(guest, v),
        detach: (id) => engine.detachVolume(guest, id),
        hasVolume: (id) => guest.blocks?.has(id) ?? false,
        isMounted: (id) => guest.blocks?.isMounted(id) ?? false,
        resize: (id, sizeGiB) => guest.blocks?.resize(id, sizeGiB),
        // Writes are on the host's disk as they happen: nothing to save.
        flush: async () => undefined,
        stop: end,
        abandon: end,
        setMetadataOptions: async (opts) => {
          metadata.setOptions(opts);
          if (opts.httpPutResponseHopLimit !== undefined) {
            await imds.setHopLimit(imdsLink, opts.httpPutResponseHopLimit).catch((e: Error) => o.log(`${spec.instanceId}: hop limit not applied: ${e.message}`));
          }
        },
        setIamInstanceProfile: (profile) => metadata.setIamInstanceProfile(profile),
        authorizedKeys: async (user) => {
          const r = await guest.authorizedKeys(user);
          return r.ok ? { ok: true, lines: r.lines } : { ok: false, reason: r.reason };
        },
        sessions,
        consoleLog: async (maxBytes) => (await guest.readFile('var/log/cloud-init-output.log', maxBytes))?.toString('utf8'),
        sshReady: initDone,
        ports: {
          listening: () => watched.now(),
          onChange: (fn) => watched.onChange(fn),
          dial: (port) => engine.networks.dial(spec.instanceId, link.vpcKey, port),
        },
      };
    },
  };
}

/** The instance's VPC, subnet and address from its primary interface (the default VPC's shape for instances from before networking). */
function vpcLink(spec: GuestSpec): VpcLink {
  const eni = spec.metadata.interfaces?.find((i) => i.deviceNumber === 0) ?? spec.metadata.interfaces?.[0];
  return {
    vpcKey: eni ? `${spec.metadata.accountId ?? ''}/${spec.metadata.region}/${eni.vpcId}` : `${spec.metadata.accountId ?? ''}/${spec.metadata.region}/default`,
    vpcCidr: eni?.vpcCidr ?? '172.31.0.0/16',
    subnetCidr: eni?.subnetCidr ?? '172.31.0.0/20',
    privateIp: spec.metadata.localIpv4,
    mac: eni?.mac ?? spec.metadata.mac,
  };
}
