// The simulated engine's root filesystems, one builder per catalogue image (compute/image-catalogue.ts
// holds what the API says about each image). A new instance's root volume starts as
// `rootSnapshot()` of its image (or as a user image's snapshot), through the volume store.
import { Volume, type FsSnapshot, type FsType } from './fs/volume.js';
import { ROOT_CRED, Vfs } from './fs/vfs.js';
import { programStub } from './shell/programs.js';
import { type CatalogueImage, catalogueImage } from '../compute/image-catalogue.js';

/** A catalogue image with what the simulated engine builds for it: its root filesystem and shell style. */
export interface ImageTemplate extends CatalogueImage {
  /** Prompt style of the default shell. */
  prompt: 'rhel' | 'debian';
  /** The root partition's filesystem and its UUID (what blkid shows). */
  rootFs: { type: FsType; uuid: string };
  /** A fresh copy of the root filesystem (a partitioned volume, like xvda → xvda1). */
  rootSnapshot(): FsSnapshot;
}

interface Entry {
  path: string;
  mode: number;
  uid?: number;
  gid?: number;
  /** Omitted for directories. */
  content?: string;
}

const dir = (path: string, mode = 0o755, uid = 0, gid = 0): Entry => ({ path, mode, uid, gid });
const file = (path: string, content: string, mode = 0o644, uid = 0, gid = 0): Entry => ({ path, mode, uid, gid, content });

/** Build a partitioned root volume (xvda → xvda1) from a list of entries, parents first. */
function build(entries: Entry[], fsType: FsType, uuid: string): FsSnapshot {
  const vol = Volume.empty({ partitioned: true, now: Date.UTC(2025, 0, 15, 0, 0, 0), fsType, uuid });
  const fixed = Date.UTC(2025, 0, 15, 0, 0, 0);
  const vfs = new Vfs(vol, '/dev/xvda1', () => fixed);
  for (const e of entries) {
    if (e.content === undefined) vfs.mkdir(ROOT_CRED, e.path, e.mode);
    else vfs.writeFile(ROOT_CRED, e.path, e.content, { mode: e.mode });
    vfs.chmod(ROOT_CRED, e.path, e.mode);
    vfs.chown(ROOT_CRED, e.path, e.uid ?? 0, e.gid ?? 0);
  }
  return vol.toSnapshot();
}

const COMMON_DIRS: Entry[] = [
  dir('/bin'),
  dir('/boot'),
  dir('/dev'),
  dir('/etc'),
  dir('/etc/skel'),
  dir('/etc/ssh'),
  dir('/etc/sudoers.d', 0o750),
  dir('/home'),
  dir('/mnt'),
  dir('/opt'),
  dir('/proc', 0o555),
  dir('/root', 0o550),
  dir('/run'),
  dir('/sbin'),
  dir('/srv'),
  dir('/tmp', 0o1777),
  dir('/usr'),
  dir('/usr/bin'),
  dir('/usr/sbin'),
  dir('/usr/local'),
  dir('/usr/local/bin'),
  dir('/var'),
  dir('/var/lib'),
  dir('/var/lib/cloud'),
  dir('/var/lib/cloud/instances'),
  dir('/var/log'),
  dir('/var/tmp', 0o1777),
];

/** Programs scripts name by path (#!/bin/sh, /usr/bin/env): stubs that run the guest's own command. */
const PROGRAMS: Entry[] = ['/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash', '/usr/bin/env', '/bin/env'].map((p) => file(p, programStub(p.slice(p.lastIndexOf('/') + 1)), 0o755));

const SKEL: Entry[] = [
  file('/etc/skel/.bash_logout', '# ~/.bash_logout\n'),
  file('/etc/skel/.bash_profile', '# .bash_profile\n\nif [ -f ~/.bashrc ]; then\n\t. ~/.bashrc\nfi\n'),
  file('/etc/skel/.bashrc', '# .bashrc\n'),
];

const SSHD_CONFIG = `# ec2lite: sshd settings the simulated endpoint honours
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
StrictModes yes
AuthorizedKeysFile .ssh/authorized_keys
Subsystem sftp /usr/libexec/openssh/sftp-server
`;

const AL2023_MOTD = `   ,     #_
   ~\\_  ####_        Amazon Linux 2023
  ~~  \\_#####\\
  ~~     \\###|
  ~~       \\#/ ___   https://aws.amazon.com/linux/amazon-linux-2023
   ~~       V~' '->
    ~~~         /
      ~~._.   _/
         _/ _/
       _/m/'
`;

function amazonLinux(osRelease: string, motd: string, sshd = SSHD_CONFIG): Entry[] {
  const u = 1000;
  return [
    ...COMMON_DIRS,
    ...PROGRAMS,
    ...SKEL,
    dir('/usr/libexec'),
    dir('/usr/libexec/openssh'),
    file('/etc/os-release', osRelease),
    file('/etc/system-release', 'Amazon Linux release 2023.6.20250115 (Amazon Linux)\n'),
    file(
      '/etc/passwd',
      [
        'root:x:0:0:Super User:/root:/bin/bash',
        'bin:x:1:1:bin:/bin:/sbin/nologin',
        'daemon:x:2:2:daemon:/sbin:/sbin/nologin',
        'adm:x:3:4:adm:/var/adm:/sbin/nologin',
        'nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin',
        'sshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin',
        `ec2-user:x:${u}:${u}:EC2 Default User:/home/ec2-user:/bin/bash`,
        '',
      ].join('\n'),
    ),
    file(
      '/etc/group',
      [
        'root:x:0:',
        'bin:x:1:',
        'daemon:x:2:',
        'sys:x:3:',
        'adm:x:4:ec2-user',
        'wheel:x:10:ec2-user',
        'sshd:x:74:',
        'systemd-journal:x:190:ec2-user',
        'nobody:x:65534:',
        `ec2-user:x:${u}:`,
        '',
      ].join('\n'),
    ),
    file('/etc/hostname', 'localhost.localdomain\n'),
    file('/etc/login.defs', 'UID_MIN 1000\nGID_MIN 1000\nCREATE_HOME yes\nHOME_MODE 0700\nUSERGROUPS_ENAB yes\n'),
    file('/etc/motd', motd),
    file('/etc/ssh/sshd_config', sshd, 0o600),
    file(
      '/etc/sudoers',
      [
        '## Sudoers allows particular users to run various commands as',
        '## the root user, without needing the root password.',
        'Defaults   !visiblepw',
        'Defaults    always_set_home',
        'root\tALL=(ALL) \tALL',
        '## Allows people in group wheel to run all commands',
        '%wheel\tALL=(ALL)\tALL',
        '## Read drop-in files from /etc/sudoers.d (the # here does not mean a comment)',
        '#includedir /etc/sudoers.d',
        '',
      ].join('\n'),
      0o440,
    ),
    file(
      '/etc/sudoers.d/90-cloud-init-users',
      '# Created by cloud-init v. 22.2.2 on Wed, 15 Jan 2025 00:00:00 +0000\n\n# User rules for ec2-user\nec2-user ALL=(ALL) NOPASSWD:ALL\n',
      0o440,
    ),
    dir('/home/ec2-user', 0o700, u, u),
    file('/home/ec2-user/.bash_logout', '# ~/.bash_logout\n', 0o644, u, u),
    file('/home/ec2-user/.bash_profile', '# .bash_profile\n', 0o644, u, u),
    file('/home/ec2-user/.bashrc', '# .bashrc\n', 0o644, u, u),
  ];
}

const AL2023_OS_RELEASE = `NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023.6.20250115"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"
HOME_URL="https://aws.amazon.com/linux/amazon-linux-2023/"
DOCUMENTATION_URL="https://docs.aws.amazon.com/linux/"
SUPPORT_URL="https://aws.amazon.com/premiumsupport/"
BUG_REPORT_URL="https://github.com/amazonlinux/amazon-linux-2023"
VENDOR_NAME="AWS"
VENDOR_URL="https://aws.amazon.com/"
SUPPORT_END="2029-06-30"
`;

const AMZN1_OS_RELEASE = `NAME="Amazon Linux AMI"
VERSION="2018.03"
ID="amzn"
ID_LIKE="rhel fedora"
VERSION_ID="2018.03"
PRETTY_NAME="Amazon Linux AMI 2018.03"
ANSI_COLOR="0;33"
CPE_NAME="cpe:/o:amazon:linux:2018.03:ga"
HOME_URL="http://aws.amazon.com/amazon-linux-ami/"
`;

const UBUNTU_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`;

function ubuntu(): Entry[] {
  const u = 1000;
  return [
    ...COMMON_DIRS,
    ...PROGRAMS,
    ...SKEL,
    dir('/usr/lib'),
    dir('/usr/lib/openssh'),
    file('/etc/os-release', UBUNTU_OS_RELEASE),
    file('/etc/lsb-release', 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\nDISTRIB_DESCRIPTION="Ubuntu 24.04.1 LTS"\n'),
    file(
      '/etc/passwd',
      [
        'root:x:0:0:root:/root:/bin/bash',
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
        'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
        'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
        'sshd:x:105:65534::/run/sshd:/usr/sbin/nologin',
        `ubuntu:x:${u}:${u}:Ubuntu:/home/ubuntu:/bin/bash`,
        '',
      ].join('\n'),
    ),
    file(
      '/etc/group',
      [
        'root:x:0:',
        'daemon:x:1:',
        'bin:x:2:',
        'sys:x:3:',
        'adm:x:4:syslog,ubuntu',
        'cdrom:x:24:ubuntu',
        'sudo:x:27:ubuntu',
        'dip:x:30:ubuntu',
        'users:x:100:',
        'lxd:x:101:ubuntu',
        'nogroup:x:65534:',
        `ubuntu:x:${u}:`,
        '',
      ].join('\n'),
    ),
    file('/etc/hostname', 'ubuntu\n'),
    file('/etc/login.defs', 'UID_MIN 1000\nGID_MIN 1000\nHOME_MODE 0750\nUSERGROUPS_ENAB yes\n'),
    file(
      '/etc/motd',
      'Welcome to Ubuntu 24.04.1 LTS (GNU/Linux 6.8.0-1021-aws x86_64)\n\n * Documentation:  https://help.ubuntu.com\n * Management:     https://landscape.canonical.com\n * Support:        https://ubuntu.com/pro\n',
    ),
    file('/etc/ssh/sshd_config', SSHD_CONFIG.replace('/usr/libexec/openssh/sftp-server', '/usr/lib/openssh/sftp-server'), 0o644),
    file(
      '/etc/sudoers',
      [
        'Defaults\tenv_reset',
        'Defaults\tmail_badpass',
        '# User privilege specification',
        'root\tALL=(ALL:ALL) ALL',
        '# Members of the admin group may gain root privileges',
        '%admin ALL=(ALL) ALL',
        '# Allow members of group sudo to execute any command',
        '%sudo\tALL=(ALL:ALL) ALL',
        '@includedir /etc/sudoers.d',
        '',
      ].join('\n'),
      0o440,
    ),
    file(
      '/etc/sudoers.d/90-cloud-init-users',
      '# Created by cloud-init v. 24.4 on Wed, 15 Jan 2025 00:00:00 +0000\n\n# User rules for ubuntu\nubuntu ALL=(ALL) NOPASSWD:ALL\n',
      0o440,
    ),
    dir('/home/ubuntu', 0o750, u, u),
    file('/home/ubuntu/.bash_logout', '# ~/.bash_logout\n', 0o644, u, u),
    file('/home/ubuntu/.bashrc', '# ~/.bashrc\n', 0o644, u, u),
    file('/home/ubuntu/.profile', '# ~/.profile\n', 0o644, u, u),
  ];
}

// Windows Server: a root volume with the directories a Windows admin would look for. The guest
// never boots a shell (no RDP, no SSH): only the API, volumes and metadata see the instance.
function windowsServer(): Entry[] {
  return [
    dir('/Windows'),
    dir('/Windows/System32'),
    dir('/Program Files'),
    dir('/Program Files (x86)'),
    dir('/ProgramData'),
    dir('/ProgramData/Amazon'),
    dir('/ProgramData/Amazon/EC2Launch'),
    dir('/Users'),
    dir('/Users/Administrator'),
    file('/ProgramData/Amazon/EC2Launch/README.txt', 'EC2Launch v2 sets the Administrator password at first boot (ec2lite: GetPasswordData).\r\n'),
  ];
}

function template(key: string, t: Pick<ImageTemplate, 'prompt' | 'rootFs'>, entries: () => Entry[]): ImageTemplate {
  let cached: string | undefined;
  return {
    ...catalogueImage(key),
    ...t,
    rootSnapshot(): FsSnapshot {
      cached ??= JSON.stringify(build(entries(), t.rootFs.type, t.rootFs.uuid));
      return JSON.parse(cached) as FsSnapshot;
    },
  };
}

export const IMAGE_TEMPLATES: readonly ImageTemplate[] = [
  template(
    'al2023',
    { prompt: 'rhel', rootFs: { type: 'xfs', uuid: '1f6bd7b4-3d0c-4a5b-9e2f-5a8c3c1e7d20' } },
    () => amazonLinux(AL2023_OS_RELEASE, AL2023_MOTD),
  ),
  template(
    'ubuntu-24.04',
    { prompt: 'debian', rootFs: { type: 'ext4', uuid: '6e0f3d2a-9c1b-4f57-8a3e-2b7d4c9e1f60' } },
    ubuntu,
  ),
  template(
    'amzn-instance-store',
    { prompt: 'rhel', rootFs: { type: 'ext4', uuid: '3c9a7e51-0b2d-4e8f-a6c4-7d1e5b2f9a83' } },
    () =>
      amazonLinux(AMZN1_OS_RELEASE, '\n       __|  __|_  )\n       _|  (     /   Amazon Linux AMI\n      ___|\\___|___|\n\n').map((e) =>
        e.path === '/etc/system-release' ? { ...e, content: 'Amazon Linux AMI release 2018.03\n' } : e,
      ),
  ),
  // Windows Server 2022 and 2019 (their catalogue entries: compute/image-catalogue.ts).
  ...(['2022', '2019'] as const).map((v) =>
    template(
      `windows-${v}`,
      { prompt: 'rhel', rootFs: { type: 'ext4', uuid: v === '2022' ? '5a1c9e0d-7b3f-4c2a-9d8e-1f0a6b4c2e71' : '8d2f4a6c-1e3b-4f5d-a7c9-0b2e4d6f8a13' } },
      windowsServer,
    ),
  ),
];

export function imageTemplate(key: string): ImageTemplate {
  const t = IMAGE_TEMPLATES.find((x) => x.key === key);
  if (!t) throw new Error(`no image template ${key}`);
  return t;
}
