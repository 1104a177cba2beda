// First boot, as cloud-init does it once per instance: install the launch
// key in the default user's ~/.ssh/authorized_keys. The per-instance
// semaphore lives on the root volume, so later boots of the same instance
// leave the file alone, while a volume cloned into a new instance (an AMI made
// from it) gets the new instance's key appended, as on AWS.
import type { GuestFiles } from './guest-files.js';
import type { UserDb } from './users.js';

export interface LaunchKey {
  /** Key pair name. */
  name: string;
  /** OpenSSH public key line, e.g. "ssh-rsa AAAA… my-key" (the key name is appended when missing). */
  publicKey: string;
}

export interface FirstBootInput {
  instanceId: string;
  defaultUser: string;
  hostname: string;
  launchKey?: LaunchKey;
}

export function authorizedKeyLine(k: LaunchKey): string {
  const f = k.publicKey.trim().split(/\s+/);
  return f.length >= 3 ? f.join(' ') : `${f[0]} ${f[1]} ${k.name}`;
}

/** Returns true when this boot was the instance's first (and so did the work). */
export function firstBoot(files: GuestFiles, users: UserDb, input: FirstBootInput): boolean {
  const semDir = `/var/lib/cloud/instances/${input.instanceId}`;
  const sem = `${semDir}/sem/config_ssh`;
  if (files.exists(sem)) return false;

  const user = users.user(input.defaultUser);
  if (user && input.launchKey) {
    const ssh = `${user.home}/.ssh`;
    const ak = `${ssh}/authorized_keys`;
    if (!files.exists(ssh)) files.mkdir(ssh, 0o700);
    files.chmod(ssh, 0o700);
    files.chown(ssh, user.uid, user.gid);
    let existing = files.exists(ak) ? files.readFile(ak).toString('utf8') : '';
    if (existing && !existing.endsWith('\n')) existing += '\n';
    files.writeFile(ak, existing + authorizedKeyLine(input.launchKey) + '\n', { mode: 0o600 });
    files.chmod(ak, 0o600);
    files.chown(ak, user.uid, user.gid);
  }
  files.writeFile('/etc/hostname', input.hostname + '\n');
  for (const d of [semDir, `${semDir}/sem`]) if (!files.exists(d)) files.mkdir(d, 0o755);
  files.writeFile(sem, `${new Date().toISOString()}\n`);
  return true;
}
