// One e2e suite on both guest engines (issue 24): the simulated OS (Amazon Linux 2023, always) and
// real instances under crun (Debian 12). One server per test file serves both: `serve --real-images
// debian-12` only adds the Debian AMI, whose instances are real, and the Amazon Linux AMI stays
// simulated. A suite declares its tests once per engine with `forEachEngine` and reads what differs
// between the two images (user name, sudo group, the AWS doc's adduser line) from the variant.
//
// The real variant runs where it can: root, crun and the built image (EC2LITE_IMAGE_CACHE; CI builds it,
// .ci/run). In CI (env CI set) a missing requirement fails the real variant; elsewhere it is reported
// as skipped with the reason, never dropped silently. Variants of one file run one after the other
// (node:test runs a file's suites in sequence): at most one file's real instances per test process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ServerConfig } from '../../src/app/config.js';
import { defaultImageCache } from '../../src/engines/crun/images.js';
import { realImageCache } from './real-images.js';

export type EngineName = 'simulated' | 'real';

export interface EngineVariant {
  readonly name: EngineName;
  /** The catalogue image the variant launches: its owner and its name as a DescribeImages filter. */
  readonly image: { owner: string; nameFilter: string };
  /** The image's default user (the one the launch key is written for). */
  readonly user: string;
  /** Its administrators' group (AWS's user-account docs: wheel on Amazon Linux, sudo on Debian/Ubuntu). */
  readonly sudoGroup: string;
  /**
   * The line that adds a user without a password, as AWS's "Manage user accounts on your Linux
   * instance" gives it per distribution (Debian's adduser would otherwise prompt for one).
   */
  addUser(name: string): string;
  /** The AMI id of the variant's image on this server. */
  imageId(client: EC2Client): Promise<string>;
}

const SIMULATED: EngineVariant = {
  name: 'simulated',
  image: { owner: 'amazon', nameFilter: 'al2023-ami-*' },
  user: 'ec2-user',
  sudoGroup: 'wheel',
  addUser: (name) => `sudo adduser ${name}`,
  imageId: (client) => imageByName(client, 'amazon', 'al2023-ami-*'),
};

const REAL: EngineVariant = {
  name: 'real',
  image: { owner: '136693071363', nameFilter: 'debian-12-amd64-*' },
  user: 'admin',
  sudoGroup: 'sudo',
  addUser: (name) => `sudo adduser --disabled-password --gecos '' ${name}`,
  imageId: (client) => imageByName(client, '136693071363', 'debian-12-amd64-*'),
};

async function imageByName(client: EC2Client, owner: string, name: string): Promise<string> {
  const list = (await client.send(new DescribeImagesCommand({ Owners: [owner], Filters: [{ Name: 'name', Values: [name] }] }))).Images ?? [];
  if (!list[0]) throw new Error(`no image ${name} of owner ${owner} on this server`);
  return list[0].ImageId!;
}

/** Why real instances cannot run here, or undefined when they can. */
function realMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'real instances need root (user namespaces, overlay mounts, cgroups)';
  if (!existsSync('/usr/bin/crun')) return 'crun is not installed (apt-get install crun slirp4netns)';
  const cache = process.env.EC2LITE_IMAGE_CACHE || defaultImageCache();
  if (!existsSync(join(cache, 'debian-12', 'manifest.json'))) return `no debian-12 image in ${cache} (node dist/src/cli/main.js images build debian-12)`;
  return undefined;
}

/** True when the real variant is to run: it can, or CI demands it (and then fails on what is missing). */
const realEngineWanted = (): boolean => Boolean(process.env.CI) || realMissing() === undefined;

/**
 * Server options for a file whose suites run on both engines: the Debian AMI offered as real
 * instances when the real variant runs. In CI a missing image or host requirement fails here, at
 * the file's server start, with the command that fixes it.
 */
export function bothEnginesServer(): Partial<ServerConfig> {
  if (!realEngineWanted()) return {};
  return { realImages: ['debian-12'], imageCache: realImageCache() };
}

/**
 * Declares `title` once per engine: `title [simulated]` and `title [real]` (select one with
 * `--test-name-pattern '\[real\]'`). Where real instances cannot run outside CI, the real suite is
 * declared skipped with the reason.
 */
export function forEachEngine(title: string, body: (engine: EngineVariant) => void, options: { timeout?: number } = {}): void {
  describe(`${title} [simulated]`, options, () => body(SIMULATED));
  const missing = realMissing();
  // (a skipped test rather than a skipped suite: the run's summary counts it)
  if (missing && !process.env.CI) describe(`${title} [real]`, () => it('on real instances', { skip: missing }, () => undefined));
  else describe(`${title} [real]`, options, () => body(REAL));
}
