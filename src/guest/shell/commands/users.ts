// Identity commands: id whoami groups sudo su useradd adduser usermod groupadd userdel.
// Accounts have no passwords (as on EC2 images, where login is by key), so
// anything that would need one — sudo without NOPASSWD, su as non-root —
// fails the way Linux does when no password can be given.
import { isFsError } from '../../fs/errors.js';
import { ROOT_CRED } from '../../fs/vfs.js';
import { type PasswdEntry, validUserName } from '../../users.js';
import type { Command, CommandContext } from '../types.js';
import { getopt, withUsage } from './util.js';

const SHELL_BUILTINS = new Set(['cd', 'export', 'unset', 'umask', 'exit', 'logout']);

function selinuxContext(ctx: CommandContext): string {
  return ctx.sys.prompt === 'rhel' ? ' context=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023' : '';
}

export const id: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'ugGnrz', long: { user: 'u', group: 'g', groups: 'G', name: 'n' } });
    const users = ctx.sys.users;
    let uid: number;
    let gid: number;
    let gids: readonly number[];
    const who = o.operands[0];
    if (who !== undefined) {
      const u = /^\d+$/.test(who) ? users.userByUid(Number(who)) : users.user(who);
      if (!u) {
        ctx.io.err.write(`id: '${who}': no such user\n`);
        return 1;
      }
      const c = users.credOf(u);
      uid = c.uid;
      gid = c.gid;
      gids = c.groups;
    } else {
      uid = ctx.proc.cred.uid;
      gid = ctx.proc.cred.gid;
      gids = ctx.proc.cred.groups;
    }
    const n = o.flags.has('n');
    if (o.flags.has('u')) ctx.io.out.write((n ? users.userName(uid) : String(uid)) + '\n');
    else if (o.flags.has('g')) ctx.io.out.write((n ? users.groupName(gid) : String(gid)) + '\n');
    else if (o.flags.has('G')) ctx.io.out.write(gids.map((g) => (n ? users.groupName(g) : String(g))).join(' ') + '\n');
    else {
      const groups = gids.map((g) => `${g}(${users.groupName(g)})`).join(',');
      ctx.io.out.write(`uid=${uid}(${users.userName(uid)}) gid=${gid}(${users.groupName(gid)}) groups=${groups}${who === undefined ? selinuxContext(ctx) : ''}\n`);
    }
    return 0;
  });

export const whoami: Command = (ctx) => {
  ctx.io.out.write(ctx.sys.users.userName(ctx.proc.cred.uid) + '\n');
  return 0;
};

export const groups: Command = (ctx) => {
  const users = ctx.sys.users;
  if (!ctx.args.length) {
    ctx.io.out.write(ctx.proc.cred.groups.map((g) => users.groupName(g)).join(' ') + '\n');
    return 0;
  }
  let status = 0;
  for (const name of ctx.args) {
    const u = users.user(name);
    if (!u) {
      ctx.io.err.write(`groups: '${name}': no such user\n`);
      status = 1;
      continue;
    }
    ctx.io.out.write(`${name} : ${users.groupsOf(u).map((g) => g.name).join(' ')}\n`);
  }
  return status;
};

// ---- sudo / su --------------------------------------------------------------------

export const sudo: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, {
      bool: 'isnEHSklvbAP',
      value: 'ugCpDh',
      long: { login: 'i', shell: 's', 'non-interactive': 'n', 'preserve-env': 'E', 'user=': 'u', 'group=': 'g', list: 'l', validate: 'v' },
      stopAtOperand: true,
    });
    const f = o.flags;
    const users = ctx.sys.users;
    const me = ctx.proc.user;
    const targetName = typeof f.get('u') === 'string' ? (f.get('u') as string) : 'root';
    const target = targetName.startsWith('#') ? users.userByUid(Number(targetName.slice(1))) : users.user(targetName);
    if (!target) {
      ctx.io.err.write(`sudo: unknown user ${targetName}\n`);
      return 1;
    }
    const argv = o.operands;
    const shellMode = f.has('i') || f.has('s');
    if (!argv.length && !shellMode && !f.has('l') && !f.has('v') && !f.has('k')) {
      ctx.io.err.write('usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-u user] [command [arg ...]]\n');
      return 1;
    }
    if (f.has('k') && !argv.length) return 0;
    const cmdName = argv.length ? argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1) : 'bash';
    const right = users.sudoRight(me, target.name, cmdName);
    if (f.has('l')) {
      if (right === 'none') {
        ctx.io.err.write(`Sorry, user ${me.name} may not run sudo on ${ctx.sys.hostname().split('.')[0]}.\n`);
        return 1;
      }
      ctx.io.out.write(`User ${me.name} may run the following commands on ${ctx.sys.hostname().split('.')[0]}:\n    (ALL) ${right === 'nopasswd' ? 'NOPASSWD: ' : ''}ALL\n`);
      return 0;
    }
    if (right !== 'nopasswd') {
      // no account has a password, so authentication can never succeed
      if (f.has('n')) ctx.io.err.write('sudo: a password is required\n');
      else if (!ctx.io.tty) {
        ctx.io.err.write('sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n');
      } else {
        ctx.io.err.write(`[sudo] password for ${me.name}: \nsudo: a password is required\n`);
      }
      return 1;
    }
    if (f.has('v')) return 0;
    const proc = ctx.rt.procFor(target, ctx.proc, f.has('i'));
    if (f.has('E')) for (const [k, v] of ctx.proc.env) if (!['HOME', 'USER', 'LOGNAME', 'SHELL'].includes(k)) proc.env.set(k, v);
    if (!argv.length) return ctx.rt.enterShell(proc, ctx.io);
    if (shellMode) return ctx.rt.runScript(proc, argv.join(' '), ctx.io);
    if (SHELL_BUILTINS.has(cmdName) || !ctx.rt.hasCommand(argv[0]!, proc)) {
      ctx.io.err.write(`sudo: ${argv[0]}: command not found\n`);
      return 1;
    }
    return ctx.rt.runArgv(proc, argv, ctx.io);
  });

export const su: Command = (ctx) =>
  withUsage(ctx, async () => {
    const args = ctx.args.map((a) => (a === '-' ? '--login' : a));
    const o = getopt(args, { bool: 'lmp', value: 'cs', long: { login: 'l', 'command=': 'c', 'shell=': 's' } });
    const users = ctx.sys.users;
    const name = o.operands[0] ?? 'root';
    const target = users.user(name);
    if (!target) {
      ctx.io.err.write(`su: user ${name} does not exist or the user entry does not contain all the required fields\n`);
      return 1;
    }
    if (ctx.proc.cred.uid !== 0) {
      ctx.io.err.write(`Password: \nsu: Authentication failure\n`);
      return 1;
    }
    if (/nologin|\/false$/.test(target.shell)) {
      ctx.io.out.write('This account is currently not available.\n');
      return 1;
    }
    const proc = ctx.rt.procFor(target, ctx.proc, o.flags.has('l'));
    const cmd = o.flags.get('c');
    if (typeof cmd === 'string') return ctx.rt.runScript(proc, cmd, ctx.io);
    return ctx.rt.enterShell(proc, ctx.io);
  });

// ---- account management ---------------------------------------------------------------

function loginDefs(ctx: CommandContext): Map<string, string> {
  const m = new Map<string, string>();
  try {
    for (const line of ctx.sys.vfs.readFile(ROOT_CRED, '/etc/login.defs').toString('utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[0] && !f[0].startsWith('#') && f[1] !== undefined) m.set(f[0], f[1]);
    }
  } catch {
    // no login.defs: shadow-utils defaults
  }
  return m;
}

function requireRoot(ctx: CommandContext): boolean {
  if (ctx.proc.cred.uid === 0) return true;
  ctx.io.err.write(`${ctx.name}: Permission denied.\n${ctx.name}: cannot lock /etc/passwd; try again later.\n`);
  return false;
}

function createHome(ctx: CommandContext, u: PasswdEntry, mode: number): void {
  const vfs = ctx.sys.vfs;
  if (vfs.exists(ROOT_CRED, u.home)) {
    ctx.io.err.write(`${ctx.name}: warning: the home directory ${u.home} already exists.\n${ctx.name}: Not copying any file from skel directory into it.\n`);
    return;
  }
  vfs.mkdir(ROOT_CRED, u.home, mode);
  vfs.chmod(ROOT_CRED, u.home, mode);
  vfs.chown(ROOT_CRED, u.home, u.uid, u.gid);
  let skel: string[] = [];
  try {
    skel = vfs.readdir(ROOT_CRED, '/etc/skel');
  } catch {
    skel = [];
  }
  for (const n of skel) {
    const src = `/etc/skel/${n}`;
    const st = vfs.stat(ROOT_CRED, src);
    if (st.type !== 'file') continue;
    vfs.writeFile(ROOT_CRED, `${u.home}/${n}`, vfs.readFile(ROOT_CRED, src), { mode: st.mode });
    vfs.chown(ROOT_CRED, `${u.home}/${n}`, u.uid, u.gid);
  }
}

interface NewUser {
  name: string;
  home?: string;
  shell?: string;
  gecos?: string;
  uid?: number;
  group?: string;
  extraGroups?: string[];
  createHome: boolean;
  userGroup: boolean;
}

/** Shared by useradd and adduser; returns an exit status (shadow-utils codes). */
function addUser(ctx: CommandContext, nu: NewUser, verbose: boolean): number {
  const users = ctx.sys.users;
  if (!validUserName(nu.name)) {
    ctx.io.err.write(`${ctx.name}: invalid user name '${nu.name}'\n`);
    return 3;
  }
  if (users.user(nu.name)) {
    ctx.io.err.write(ctx.name === 'adduser' && ctx.sys.prompt === 'debian' ? `fatal: The user \`${nu.name}' already exists.\n` : `${ctx.name}: user '${nu.name}' already exists\n`);
    return 9;
  }
  for (const g of nu.extraGroups ?? []) {
    if (!users.group(g)) {
      ctx.io.err.write(`${ctx.name}: group '${g}' does not exist\n`);
      return 6;
    }
  }
  let gid: number | undefined;
  if (nu.group !== undefined) {
    gid = /^\d+$/.test(nu.group) ? Number(nu.group) : users.group(nu.group)?.gid;
    if (gid === undefined) {
      ctx.io.err.write(`${ctx.name}: group '${nu.group}' does not exist\n`);
      return 6;
    }
  } else if (nu.userGroup && users.group(nu.name)) {
    ctx.io.err.write(`${ctx.name}: group ${nu.name} exists - if you want to add this user to that group, use -g.\n`);
    return 9;
  }
  const defs = loginDefs(ctx);
  const used = new Set([...users.users().map((u) => u.uid), ...users.groups().map((g) => g.gid)]);
  let uid = nu.uid ?? Number(defs.get('UID_MIN') ?? 1000);
  if (nu.uid === undefined) while (used.has(uid)) uid++;
  if (gid === undefined) {
    gid = nu.userGroup ? uid : 100;
    if (nu.userGroup) {
      if (verbose) ctx.io.out.write(`info: Adding new group \`${nu.name}' (${gid}) ...\n`);
      users.addGroup(nu.name, gid);
    }
  }
  const entry = users.addUser({
    name: nu.name,
    uid,
    gid,
    gecos: nu.gecos ?? '',
    home: nu.home ?? `/home/${nu.name}`,
    shell: nu.shell ?? (ctx.sys.prompt === 'debian' && ctx.name === 'useradd' ? '/bin/sh' : '/bin/bash'),
  });
  if (verbose) ctx.io.out.write(`info: Adding new user \`${nu.name}' (${uid}) with group \`${users.groupName(gid)} (${gid})' ...\n`);
  if (nu.extraGroups?.length) users.setMembership(nu.name, nu.extraGroups, true);
  if (nu.createHome) {
    if (verbose) ctx.io.out.write(`info: Creating home directory \`${entry.home}' ...\ninfo: Copying files from \`/etc/skel' ...\n`);
    createHome(ctx, entry, parseInt(defs.get('HOME_MODE') ?? '0700', 8));
  }
  return 0;
}

export const useradd: Command = (ctx) =>
  withUsage(
    ctx,
    () => {
      const o = getopt(ctx.args, {
        bool: 'mMrUN',
        value: 'dsgGucek',
        long: { 'create-home': 'm', 'no-create-home': 'M', system: 'r', 'home-dir=': 'd', 'shell=': 's', 'gid=': 'g', 'groups=': 'G', 'uid=': 'u', 'comment=': 'c', 'user-group': 'U', 'no-user-group': 'N' },
      });
      if (o.operands.length !== 1) {
        ctx.io.err.write(`Usage: ${ctx.name} [options] LOGIN\n`);
        return 2;
      }
      if (!requireRoot(ctx)) return 1;
      const f = o.flags;
      const defs = loginDefs(ctx);
      const str = (k: string) => (typeof f.get(k) === 'string' ? (f.get(k) as string) : undefined);
      return addUser(
        ctx,
        {
          name: o.operands[0]!,
          home: str('d'),
          shell: str('s'),
          gecos: str('c'),
          uid: str('u') !== undefined ? Number(str('u')) : undefined,
          group: str('g'),
          extraGroups: str('G')?.split(',').filter(Boolean),
          createHome: f.has('m') || (!f.has('M') && !f.has('r') && defs.get('CREATE_HOME') === 'yes'),
          userGroup: !f.has('N') && (f.has('U') || defs.get('USERGROUPS_ENAB') !== 'no'),
        },
        false,
      );
    },
    2,
  );

/** Amazon Linux's adduser is useradd; Ubuntu's is Debian's friendlier script. */
export const adduser: Command = (ctx) => {
  if (ctx.sys.prompt !== 'debian') return useradd(ctx);
  return withUsage(ctx, () => {
    const o = getopt(ctx.args, {
      bool: 'q',
      long: { 'disabled-password': 'D', 'disabled-login': 'L', 'gecos=': 'c', 'comment=': 'c', 'home=': 'd', 'shell=': 's', 'ingroup=': 'g', 'uid=': 'u', quiet: 'q', system: 'S', 'no-create-home': 'M' },
    });
    if (!requireRoot(ctx)) return 1;
    const [name, group] = o.operands;
    if (!name) {
      ctx.io.err.write('fatal: Only one or two names allowed.\n');
      return 1;
    }
    const users = ctx.sys.users;
    if (group !== undefined) {
      const u = users.user(name);
      const g = users.group(group);
      if (!u) {
        ctx.io.err.write(`fatal: The user \`${name}' does not exist.\n`);
        return 1;
      }
      if (!g) {
        ctx.io.err.write(`fatal: The group \`${group}' does not exist.\n`);
        return 1;
      }
      ctx.io.out.write(`info: Adding user \`${name}' to group \`${group}' ...\n`);
      users.setMembership(name, [group], true);
      return 0;
    }
    const str = (k: string) => (typeof o.flags.get(k) === 'string' ? (o.flags.get(k) as string) : undefined);
    const quiet = o.flags.has('q');
    if (!quiet) ctx.io.out.write(`info: Adding user \`${name}' ...\ninfo: Selecting UID/GID from range 1000 to 59999 ...\n`);
    return addUser(
      ctx,
      {
        name,
        home: str('d'),
        shell: str('s') ?? '/bin/bash',
        gecos: str('c') ?? '',
        uid: str('u') !== undefined ? Number(str('u')) : undefined,
        group: str('g'),
        createHome: !o.flags.has('M'),
        userGroup: str('g') === undefined,
      },
      !quiet,
    );
  });
};

export const usermod: Command = (ctx) =>
  withUsage(
    ctx,
    () => {
      const o = getopt(ctx.args, {
        bool: 'amLU',
        value: 'Gsdcgl',
        long: { append: 'a', 'groups=': 'G', 'shell=': 's', 'home=': 'd', 'move-home': 'm', 'comment=': 'c', 'gid=': 'g', lock: 'L', unlock: 'U' },
      });
      if (o.operands.length !== 1) {
        ctx.io.err.write('Usage: usermod [options] LOGIN\n');
        return 2;
      }
      if (!requireRoot(ctx)) return 1;
      const users = ctx.sys.users;
      const name = o.operands[0]!;
      const u = users.user(name);
      if (!u) {
        ctx.io.err.write(`usermod: user '${name}' does not exist\n`);
        return 6;
      }
      const f = o.flags;
      const G = f.get('G');
      if (typeof G === 'string') {
        const names = G.split(',').filter(Boolean);
        for (const g of names) {
          if (!users.group(g)) {
            ctx.io.err.write(`usermod: group '${g}' does not exist\n`);
            return 6;
          }
        }
        users.setMembership(name, names, f.has('a'));
      } else if (f.has('a')) {
        ctx.io.err.write('usermod: -a flag is ONLY allowed with the -G flag\n');
        return 2;
      }
      const change: Partial<PasswdEntry> = {};
      if (typeof f.get('s') === 'string') change.shell = f.get('s') as string;
      if (typeof f.get('c') === 'string') change.gecos = f.get('c') as string;
      if (typeof f.get('d') === 'string') change.home = f.get('d') as string;
      if (typeof f.get('g') === 'string') {
        const g = f.get('g') as string;
        const gid = /^\d+$/.test(g) ? Number(g) : users.group(g)?.gid;
        if (gid === undefined) {
          ctx.io.err.write(`usermod: group '${g}' does not exist\n`);
          return 6;
        }
        change.gid = gid;
      }
      if (Object.keys(change).length) users.updateUser(name, change);
      return 0;
    },
    2,
  );

export const groupadd: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'rf', value: 'g', long: { 'gid=': 'g', system: 'r', force: 'f' } });
    const name = o.operands[0];
    if (!name) {
      ctx.io.err.write('Usage: groupadd [options] GROUP\n');
      return 2;
    }
    if (!requireRoot(ctx)) return 10;
    if (ctx.sys.users.group(name)) {
      if (o.flags.has('f')) return 0;
      ctx.io.err.write(`groupadd: group '${name}' already exists\n`);
      return 9;
    }
    const g = o.flags.get('g');
    ctx.sys.users.addGroup(name, typeof g === 'string' ? Number(g) : undefined);
    return 0;
  });

export const userdel: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'rf', long: { remove: 'r', force: 'f' } });
    const name = o.operands[0];
    if (!name) {
      ctx.io.err.write('Usage: userdel [options] LOGIN\n');
      return 2;
    }
    if (!requireRoot(ctx)) return 1;
    const users = ctx.sys.users;
    const u = users.user(name);
    if (!u) {
      ctx.io.err.write(`userdel: user '${name}' does not exist\n`);
      return 6;
    }
    const vfs = ctx.sys.vfs;
    const passwd = vfs.readFile(ROOT_CRED, '/etc/passwd').toString('utf8').split('\n').filter((l) => !l.startsWith(name + ':'));
    vfs.writeFile(ROOT_CRED, '/etc/passwd', passwd.join('\n'));
    const group = vfs
      .readFile(ROOT_CRED, '/etc/group')
      .toString('utf8')
      .split('\n')
      .filter((l) => !(l.startsWith(name + ':') && l.split(':')[2] === String(u.gid)))
      .map((l) => {
        const f = l.split(':');
        if (f.length < 4) return l;
        f[3] = f[3]!.split(',').filter((m) => m && m !== name).join(',');
        return f.join(':');
      });
    vfs.writeFile(ROOT_CRED, '/etc/group', group.join('\n'));
    if (o.flags.has('r')) {
      const rmTree = (p: string) => {
        const st = vfs.stat(ROOT_CRED, p);
        if (st.type === 'dir') {
          for (const n of vfs.readdir(ROOT_CRED, p)) rmTree(`${p}/${n}`);
          vfs.rmdir(ROOT_CRED, p);
        } else vfs.unlink(ROOT_CRED, p);
      };
      try {
        rmTree(u.home);
      } catch (e) {
        if (!isFsError(e)) throw e;
      }
    }
    return 0;
  });

export const passwd: Command = (ctx) => {
  ctx.io.err.write('passwd: Authentication token manipulation error\npasswd: password unchanged\n');
  return 10;
};

export const USER_COMMANDS: Record<string, Command> = {
  id,
  whoami,
  groups,
  sudo,
  su,
  useradd,
  adduser,
  usermod,
  groupadd,
  userdel,
  passwd,
};
