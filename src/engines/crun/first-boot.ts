// What an instance's disk holds before each boot (hostname, /etc/hosts, DNS, the NoCloud seed
// its real cloud-init reads) and, at first boot, the default user with the launch key in
// authorized_keys — written by ec2lite itself so SSH works the moment the instance runs, with the
// same result as cloud-init's `users-groups` and `ssh` modules (which then find it done, and run
// the user data for real).
import type { VolumeFiles } from './volume-files.js';

export interface BootFacts {
  instanceId: string;
  /** e.g. ip-172-31-16-5 */
  hostname: string;
  /** e.g. ip-172-31-16-5.ec2.internal */
  fqdn: string;
  privateIp: string;
  defaultUser: string;
  /** The launch key's authorized_keys line, if launched with a key pair. */
  launchKey?: string;
  userData?: Buffer;
  /** The endpoint's ED25519 host key (OpenSSH private key text, public line): the guest's own at first boot. */
  hostKey?: { private: string; public: string };
  nameserver: string;
}

const DEFAULT_GROUPS = ['adm', 'dialout', 'cdrom', 'floppy', 'sudo', 'audio', 'dip', 'video', 'plugdev'];

/** The launch key's authorized_keys line: its key type and data, commented with its name when it has no comment (as cloud-init writes it). */
export function authorizedKeyLine(k: { name: string; publicKey: string }): string {
  const f = k.publicKey.trim().split(/\s+/);
  return f.length >= 3 ? f.join(' ') : `${f[0]} ${f[1]} ${k.name}`;
}

export function writeBootFiles(f: VolumeFiles, b: BootFacts): void {
  f.write('etc/hostname', `${b.hostname}\n`);
  f.write('etc/hosts', `127.0.0.1 localhost\n${b.privateIp} ${b.fqdn} ${b.hostname}\n\n::1 localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`);
  f.write('etc/resolv.conf', `nameserver ${b.nameserver}\nsearch ec2.internal\n`);
  // cloud-init's NoCloud datasource: the instance's identity, its launch key and its user data.
  const seed = 'var/lib/cloud/seed/nocloud';
  const keys = b.launchKey ? `public-keys:\n  - ${JSON.stringify(b.launchKey)}\n` : '';
  f.write(`${seed}/meta-data`, `instance-id: ${b.instanceId}\nlocal-hostname: ${b.hostname}\n${keys}`, 0o600);
  f.write(`${seed}/user-data`, b.userData ?? '', 0o600);
  f.write(`${seed}/vendor-data`, '', 0o600);
  // The instance's host key is the one its endpoint presents (written at first boot, createDefaultUser):
  // cloud-init keeps it rather than generating keys no client would see (user data may still say otherwise):
  // it generates only listed types whose key file is missing (`[]` would do too, but its schema wants one
  // entry and warned at every boot).
  f.write('etc/cloud/cloud.cfg.d/91_ec2lite_host_key.cfg', 'ssh_deletekeys: false\nssh_genkeytypes: [ed25519]\n');
  // Volumes are not block devices in a container (block-devices.ts): `mount /dev/xvdf1 DIR` binds
  // the filesystem the engine prepared; sudo's secure_path and root's PATH find /usr/local/sbin first.
  f.write('usr/local/sbin/mount', MOUNT_WRAPPER, 0o755);
  for (const name of ['mkfs', 'mkfs.ext2', 'mkfs.ext3', 'mkfs.ext4', 'mkfs.xfs']) f.write(`usr/local/sbin/${name}`, MKFS_WRAPPER, 0o755);
}

/**
 * The guest's mkfs for attached EBS volumes: asks the engine (a request file in the one directory
 * the guest may write, block-devices.ts) to empty the volume and give it a fresh filesystem.
 * Other devices: the image's own mkfs.
 */
export const MKFS_WRAPPER = `#!/bin/sh
# ec2lite real instance: EBS volumes are not block devices inside a container; formatting one
# asks the engine for an empty filesystem on it. Anything else: the image's own mkfs.
blk=/run/ec2lite/blk
me=$(basename -- "$0")
dev=
for a in "$@"; do
  case "$(readlink -f -- "$a" 2>/dev/null)" in "$blk"/dev/*) dev=$a;; esac
done
if [ -z "$dev" ]; then
  for d in /usr/sbin /sbin; do [ -x "$d/$me" ] && exec "$d/$me" "$@"; done
  echo "$me: command not found in this image" >&2; exit 127
fi
if [ "$(id -u)" != 0 ]; then echo "$me: Permission denied while trying to determine filesystem size" >&2; exit 1; fi
name=$(basename -- "$(readlink -f -- "$dev")")
rm -f "$blk/ctl/$name.done" "$blk/ctl/$name.error"
: > "$blk/ctl/$name.mkfs" || exit 1
i=0
while [ $i -lt 300 ]; do
  if [ -e "$blk/ctl/$name.done" ]; then rm -f "$blk/ctl/$name.done"; echo "Creating filesystem on $dev: done"; exit 0; fi
  if [ -e "$blk/ctl/$name.error" ]; then cat "$blk/ctl/$name.error" >&2; rm -f "$blk/ctl/$name.error"; exit 1; fi
  sleep 0.1; i=$((i + 1))
done
echo "$me: $dev: no answer from ec2lite" >&2; exit 1
`;

/** The guest's `mount` for attached EBS volumes; anything else goes to util-linux's mount unchanged. */
export const MOUNT_WRAPPER = `#!/bin/sh
# ec2lite real instance: EBS volumes cannot be block devices inside a container. The engine
# mounts each attached volume's filesystem under ${'$'}{blk}/fs; \`mount /dev/xvdf1 DIR\` binds it
# to DIR (options such as -o nouuid are accepted, ro is kept). Everything else: /usr/bin/mount.
blk=/run/ec2lite/blk
dev= dir= n=0 ro= want=
for a in "$@"; do
  if [ -n "$want" ]; then
    if [ "$want" = -o ]; then case ",$a," in *,ro,*) ro=1;; esac; fi
    want=; continue
  fi
  case "$a" in
    -o|--options) want=-o;;
    -t|--types|-O|--test-opts|-L|--label|-U|--uuid|-N|--namespace) want=x;;
    --options=*) case ",\${a#--options=}," in *,ro,*) ro=1;; esac;;
    -o*) case ",\${a#-o}," in *,ro,*) ro=1;; esac;;
    -r|--read-only) ro=1;;
    -*) ;;
    *) n=$((n + 1)); [ "$n" = 1 ] && dev=$a; [ "$n" = 2 ] && dir=$a;;
  esac
done
if [ "$n" = 2 ]; then
  case "$(readlink -f -- "$dev" 2>/dev/null)" in
    "$blk"/dev/*)
      name=$(basename -- "$(readlink -f -- "$dev")")
      if [ "$(id -u)" != 0 ]; then echo "mount: $dir: must be superuser to use mount." >&2; exit 32; fi
      if [ ! -d "$dir" ]; then echo "mount: $dir: mount point does not exist." >&2; exit 32; fi
      if [ ! -d "$blk/fs/$name" ]; then
        echo "mount: $dir: wrong fs type, bad option, bad superblock on $dev, missing codepage or helper program, or other error." >&2
        exit 32
      fi
      /usr/bin/mount --bind "$blk/fs/$name" "$dir" || exit 32
      if [ -n "$ro" ]; then /usr/bin/mount -o remount,bind,ro "$dir" || exit 32; fi
      exit 0;;
  esac
fi
exec /usr/bin/mount "$@"
`;

/** Passwd-style file as lines of fields. */
const rows = (text: string | undefined) => (text ?? '').split('\n').filter((l) => l.length > 0).map((l) => l.split(':'));
const unrows = (r: string[][]) => `${r.map((x) => x.join(':')).join('\n')}\n`;

/** First boot only: the image's default user (sudo without password) with the launch key, and the instance's host key. */
export function createDefaultUser(f: VolumeFiles, b: BootFacts): void {
  if (b.hostKey) {
    // (an image made from another instance carries that one's key: this instance gets its own)
    f.write('etc/ssh/ssh_host_ed25519_key', b.hostKey.private, 0o600);
    f.write('etc/ssh/ssh_host_ed25519_key.pub', `${b.hostKey.public}\n`, 0o644);
  }
  const passwd = rows(f.read('etc/passwd'));
  const group = rows(f.read('etc/group'));
  const user = b.defaultUser;
  let entry = passwd.find((r) => r[0] === user);
  if (!entry) {
    const used = new Set(passwd.map((r) => Number(r[2])).concat(group.map((r) => Number(r[2]))));
    let id = 1000;
    while (used.has(id)) id++;
    entry = [user, 'x', String(id), String(id), 'Debian', `/home/${user}`, '/bin/bash'];
    passwd.push(entry);
    group.push([user, 'x', String(id), '']);
    for (const g of group) {
      if (!DEFAULT_GROUPS.includes(g[0]!)) continue;
      const members = (g[3] ?? '').split(',').filter(Boolean);
      if (!members.includes(user)) g[3] = [...members, user].join(',');
    }
    const shadow = rows(f.read('etc/shadow'));
    shadow.push([user, '!', '20000', '0', '99999', '7', '', '', '']);
    const gshadow = rows(f.read('etc/gshadow'));
    gshadow.push([user, '!', '', '']);
    for (const g of gshadow) {
      if (!DEFAULT_GROUPS.includes(g[0]!)) continue;
      const members = (g[3] ?? '').split(',').filter(Boolean);
      if (!members.includes(user)) g[3] = [...members, user].join(',');
    }
    f.write('etc/passwd', unrows(passwd));
    f.write('etc/group', unrows(group));
    f.write('etc/shadow', unrows(shadow), 0o640, 0, Number(group.find((g) => g[0] === 'shadow')?.[2] ?? 0));
    f.write('etc/gshadow', unrows(gshadow), 0o640, 0, Number(group.find((g) => g[0] === 'shadow')?.[2] ?? 0));
    f.write('etc/sudoers.d/90-cloud-init-users', `# Created by cloud-init v. 22.4.2\n\n# User rules for ${user}\n${user} ALL=(ALL) NOPASSWD:ALL\n`, 0o440);
  }
  const uid = Number(entry[2]);
  const gid = Number(entry[3]);
  const home = entry[5]!.replace(/^\/+/, '');
  if (!f.exists(home)) {
    f.mkdir(home, 0o755, uid, gid);
    f.copyFiles('etc/skel', home, uid, gid);
  }
  if (b.launchKey) {
    f.mkdir(`${home}/.ssh`, 0o700, uid, gid);
    const existing = f.read(`${home}/.ssh/authorized_keys`) ?? '';
    const lines = existing.split('\n').filter(Boolean);
    if (!lines.includes(b.launchKey)) lines.push(b.launchKey);
    f.write(`${home}/.ssh/authorized_keys`, `${lines.join('\n')}\n`, 0o600, uid, gid);
  }
}
