// What the crun engine needs from the host, checked without side effects: `ec2lite doctor` prints
// it with the one-time commands that fix each gap, and a launch on a host that lacks something is
// refused with the reason (InsufficientInstanceCapacity) instead of half-starting an instance.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface HostCheck {
  name: string;
  ok: boolean;
  /** What is wrong, when not ok. */
  detail?: string;
  /** The one-time command(s) that fix it. */
  fix?: string;
  /** Needed to build images only (not to run instances). */
  buildOnly?: boolean;
}

const APT = 'sudo apt-get install -y';

/** Commands the engine runs, with the Debian/Ubuntu package that has each. */
const TOOLS: { cmd: string; pkg: string; buildOnly?: boolean }[] = [
  { cmd: 'crun', pkg: 'crun' },
  { cmd: 'slirp4netns', pkg: 'slirp4netns' },
  { cmd: 'unshare', pkg: 'util-linux' },
  { cmd: 'setpriv', pkg: 'util-linux' },
  { cmd: 'nsenter', pkg: 'util-linux' },
  { cmd: 'ip', pkg: 'iproute2' },
  { cmd: 'nft', pkg: 'nftables' },
  { cmd: 'tar', pkg: 'tar' },
  { cmd: 'cc', pkg: 'gcc libc6-dev' },
  { cmd: 'mmdebstrap', pkg: 'mmdebstrap', buildOnly: true },
  { cmd: 'zstd', pkg: 'zstd', buildOnly: true },
];

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

const read = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** Which cgroup layout the host has: v1 hierarchies (possibly with an empty-ish v2 beside), or pure v2. */
export function cgroupLayout(): 'v1' | 'v2' | 'none' {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'v2';
  if (existsSync('/sys/fs/cgroup/memory') && existsSync('/sys/fs/cgroup/pids')) return 'v1';
  return 'none';
}

export function hostChecks(): HostCheck[] {
  const checks: HostCheck[] = [];
  const root = process.getuid?.() === 0;
  checks.push({
    name: 'running as root',
    ok: root,
    detail: 'the engine maps a 65536-id range per instance, mounts overlays and creates cgroups, which needs root',
    fix: 'run the server as root: sudo ec2lite serve --real-images debian-12',
  });
  if (process.platform !== 'linux') {
    checks.push({ name: 'Linux', ok: false, detail: `this is ${process.platform}; real instances need Linux namespaces`, fix: 'use the simulated engine (the default)' });
    return checks;
  }
  for (const t of TOOLS) {
    const found = which(t.cmd);
    checks.push({ name: `${t.cmd} installed`, ok: !!found, detail: `${t.cmd} is not on PATH`, fix: `${APT} ${t.pkg}`, buildOnly: t.buildOnly });
  }
  const maxUserNs = Number(read('/proc/sys/user/max_user_namespaces')?.trim() ?? '0');
  checks.push({
    name: 'user namespaces enabled',
    ok: maxUserNs > 0,
    detail: `user.max_user_namespaces is ${maxUserNs}`,
    fix: "sudo sysctl -w user.max_user_namespaces=15000 && echo 'user.max_user_namespaces=15000' | sudo tee /etc/sysctl.d/90-ec2lite.conf",
  });
  const fsTypes = read('/proc/filesystems') ?? '';
  checks.push({ name: 'overlayfs available', ok: /\boverlay\b/.test(fsTypes), detail: 'the kernel has no overlay filesystem loaded', fix: 'sudo modprobe overlay' });
  const layout = cgroupLayout();
  checks.push({
    name: 'cgroups (memory, pids, cpu)',
    ok: layout !== 'none',
    detail: 'neither cgroup v2 nor v1 memory/pids hierarchies are mounted under /sys/fs/cgroup',
    fix: 'mount cgroup2 on /sys/fs/cgroup (systemd does this on every current distribution)',
  });
  const apparmor = read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim();
  if (apparmor === '1' && !root) {
    checks.push({
      name: 'AppArmor lets this user create user namespaces',
      ok: false,
      detail: 'kernel.apparmor_restrict_unprivileged_userns=1 (Ubuntu 24.04) denies capabilities in new user namespaces to unprivileged processes',
      fix: 'run as root (unaffected), or: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
    });
  }
  return checks;
}

/** The first reason the host cannot run real instances now, or undefined. */
export function hostUnfit(): string | undefined {
  const bad = hostChecks().find((c) => !c.ok && !c.buildOnly);
  return bad && `${bad.name}: ${bad.detail} (fix: ${bad.fix})`;
}
