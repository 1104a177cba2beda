// The OCI runtime config of one instance (crun reads it as config.json): its namespaces, uid
// mapping, mounts, capabilities, seccomp profile and cgroup limits (docs/real-instances.md,
// "Isolation model"). Pure: everything host-specific comes in as arguments.
import { readFileSync } from 'node:fs';
import { GUEST_UID_BASE, GUEST_UID_COUNT } from './images.js';

const CAP_NAMES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/**
 * Guest root gets every capability the host's bounding set has: they count only inside the
 * instance's user namespace (no power over host files, devices or the host's network).
 */
export function guestCapabilities(): string[] {
  let mask = 0n;
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) mask = BigInt(`0x${m[1]}`);
  } catch {
    // not Linux: no caps
  }
  return CAP_NAMES.filter((_, i) => (mask >> BigInt(i)) & 1n).map((n) => `CAP_${n}`);
}

/**
 * Syscalls refused in every instance whatever its capabilities: what Podman's default profile
 * refuses to a container without the matching capability, refused here even though guest root holds
 * them (inside its namespace): kernel keyrings (ENOSYS, as Docker/Podman answer), modules, kexec,
 * BPF and perf, clock and swap control, raw I/O ports, accounting, handle-based opens, userfaultfd.
 */
export const DENIED_SYSCALLS: { names: string[]; errno: number }[] = [
  { names: ['add_key', 'keyctl', 'request_key'], errno: 38 },
  {
    names: [
      'init_module', 'finit_module', 'delete_module', 'create_module', 'query_module', 'get_kernel_syms', 'kexec_load', 'kexec_file_load',
      'bpf', 'perf_event_open', 'settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex', 'stime', 'swapon', 'swapoff', 'iopl', 'ioperm',
      'acct', 'open_by_handle_at', 'userfaultfd', 'lookup_dcookie', 'quotactl', 'nfsservctl', 'vm86', 'vm86old', 'uselib',
      '_sysctl', 'syslog',
    ],
    errno: 1,
  },
];

export interface InstanceLimits {
  memoryBytes: number;
  /** CPUs' worth of time per period (2 = two cores). */
  cpus: number;
  pids: number;
}

/** Sizes by instance type: EC2's memory and vCPUs for the common families, capped by `hostCpus`. */
export function limitsFor(instanceType: string, hostCpus: number): InstanceLimits {
  const [family = 't3', size = 'micro'] = instanceType.split('.');
  const GiB = 1024 ** 3;
  const bySize: Record<string, [number, number]> = {
    nano: [0.5, 2], micro: [1, 2], small: [2, 2], medium: [4, 2], large: [8, 2], xlarge: [16, 4], '2xlarge': [32, 8], '4xlarge': [64, 16],
  };
  let [mem, cpus] = bySize[size] ?? [1, 2];
  if (family === 't2' && ['nano', 'micro', 'small'].includes(size)) cpus = 1;
  if (/^c\d/.test(family)) mem /= 2; // compute optimised: 2 GiB per vCPU
  if (/^r\d/.test(family)) mem *= 2; // memory optimised: 8 GiB per vCPU
  return { memoryBytes: Math.round(mem * GiB), cpus: Math.max(1, Math.min(cpus, hostCpus)), pids: 4096 };
}

export interface ConfigInput {
  hostname: string;
  /** PID 1's argv. */
  init: string[];
  /** More of PID 1's environment (NAME=value). */
  initEnv?: string[];
  limits: InstanceLimits;
  /** Where the instance's cgroup goes (crun's cgroupsPath). */
  cgroupsPath: string;
  capabilities: string[];
  /** PID 1 is systemd: it manages its own cgroup subtree (mounted writable; the engine hands it the instance's cgroup). */
  systemd?: boolean;
  /** The bundle's host directories behind attached volumes (block-devices.ts): bound into the guest. */
  blockDirs?: { blk: string; sysBlock: string; sysDev: string; sysClass: string; sysDevices: string };
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function ociConfig(c: ConfigInput): object {
  const caps = c.capabilities;
  const period = 100_000;
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: c.init,
      env: [`PATH=${PATH}`, 'container=crun', 'LANG=C.UTF-8', ...(c.initEnv ?? [])],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      // sudo must be able to gain privileges.
      noNewPrivileges: false,
    },
    root: { path: 'rootfs', readonly: false },
    hostname: c.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', c.systemd ? 'rw' : 'ro'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=755', 'size=65536k'] },
      ...(c.systemd ? [{ destination: '/run/lock', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', 'mode=1777', 'size=5120k'] }] : []),
      ...blockMounts(c.blockDirs),
    ],
    linux: {
      uidMappings: [{ containerID: 0, hostID: GUEST_UID_BASE, size: GUEST_UID_COUNT }],
      gidMappings: [{ containerID: 0, hostID: GUEST_UID_BASE, size: GUEST_UID_COUNT }],
      // Slave, not private: volumes the engine mounts under the shared <bundle>/blk while the
      // instance runs reach the guest (block-devices.ts); nothing flows back to the host.
      ...(c.blockDirs ? { rootfsPropagation: 'rslave' } : {}),
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'user' }, { type: 'cgroup' }],
      cgroupsPath: c.cgroupsPath,
      resources: {
        memory: { limit: c.limits.memoryBytes, swap: c.limits.memoryBytes },
        cpu: { quota: c.limits.cpus * period, period },
        pids: { limit: c.limits.pids },
        devices: [
          { allow: false, access: 'rwm' },
          ...[[1, 3], [1, 5], [1, 7], [1, 8], [1, 9], [5, 0], [5, 1], [5, 2]].map(([major, minor]) => ({ allow: true, type: 'c', major, minor, access: 'rwm' })),
          { allow: true, type: 'c', major: 136, access: 'rwm' },
        ],
      },
      seccomp: {
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
        syscalls: DENIED_SYSCALLS.map((d) => ({ names: d.names, action: 'SCMP_ACT_ERRNO', errnoRet: d.errno })),
      },
      maskedPaths: [
        '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',
        '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
        // The host's disks stay hidden: the instance's own block sysfs is bound over them (or masked without one).
        ...(c.blockDirs ? [] : ['/sys/block', '/sys/class/block', '/sys/devices/virtual/block']),
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/**
 * The guest's block devices (block-devices.ts): the engine's sysfs directories read-only over the
 * host's (lsblk reads them), and the staging directory where attached volumes' filesystems appear.
 */
function blockMounts(d: ConfigInput['blockDirs']): object[] {
  if (!d) return [];
  const ro = ['bind', 'ro', 'nosuid', 'nodev', 'noexec'];
  return [
    { destination: '/sys/block', type: 'bind', source: d.sysBlock, options: ro },
    { destination: '/sys/dev/block', type: 'bind', source: d.sysDev, options: ro },
    { destination: '/sys/class/block', type: 'bind', source: d.sysClass, options: ro },
    { destination: '/sys/devices/virtual/block', type: 'bind', source: d.sysDevices, options: ro },
    { destination: '/run/ec2lite/blk', type: 'bind', source: d.blk, options: ['rbind', 'rslave', 'nosuid', 'nodev', 'noexec'] },
  ];
}

/** An exec'd process (crun exec -p): the user with its groups, as sshd would start it. */
export function execProcess(p: { uid: number; gid: number; groups: number[]; cwd: string; env: string[]; args: string[]; terminal: boolean; capabilities: string[] }): object {
  const caps = p.uid === 0 ? p.capabilities : [];
  return {
    terminal: p.terminal,
    user: { uid: p.uid, gid: p.gid, additionalGids: p.groups },
    args: p.args,
    env: p.env,
    cwd: p.cwd,
    // The bounding set stays full so sudo (setuid root) can take them back.
    capabilities: { bounding: p.capabilities, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    noNewPrivileges: false,
  };
}
