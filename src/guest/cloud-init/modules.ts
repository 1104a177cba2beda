// The cloud-config modules ec2lite runs, each as cloud-init's module of the same name does it
// (cc_bootcmd, cc_write_files, cc_set_hostname, cc_users_groups, cc_ssh, cc_runcmd). Commands
// run as root through the guest shell: useradd, groupadd, the scripts themselves.
import { gunzipSync } from 'node:zlib';
import { trimEndOf } from '../../domain/trim.js';
import { type CloudConfig, commandLine, nameList, shellQuote } from './cloud-config.js';
import type { CloudInitHost } from './host.js';

export interface ModuleContext {
  host: CloudInitHost;
  config: CloudConfig;
  /** /var/lib/cloud/instance (the per-instance directory). */
  instanceDir: string;
  /** A line for /var/log/cloud-init.log (and, for warnings, the output log). */
  log(level: 'DEBUG' | 'INFO' | 'WARNING', module: string, message: string): void;
  /** Output of commands: /var/log/cloud-init-output.log. */
  out: { write(data: string | Buffer): void };
}

/** Keys of cloud-config this implementation acts on (others are logged as skipped). */
export const HANDLED_KEYS = new Set([
  'bootcmd',
  'write_files',
  'hostname',
  'fqdn',
  'prefer_fqdn_over_hostname',
  'preserve_hostname',
  'users',
  'groups',
  'ssh_authorized_keys',
  'runcmd',
  'final_message',
  // settings with nothing to do here: which modules run and where output goes (fixed), and SSH
  // settings the guest already has (no passwords, root has no key, host keys are per instance)
  'output',
  'cloud_init_modules',
  'cloud_config_modules',
  'cloud_final_modules',
  'merge_how',
  'merge_type',
  'disable_root',
  'ssh_pwauth',
  'ssh_deletekeys',
]);

export function mkdirs(host: CloudInitHost, path: string, mode = 0o755): void {
  let cur = '';
  for (const seg of path.split('/').filter(Boolean)) {
    cur += `/${seg}`;
    if (!host.files.exists(cur)) host.files.mkdir(cur, mode);
  }
}

const dirname = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** bootcmd: every boot, before anything else; one shell script of all entries, run with INSTANCE_ID set. */
export async function bootcmd(m: ModuleContext): Promise<boolean> {
  const entries = m.config['bootcmd'];
  if (!Array.isArray(entries) || entries.length === 0) return true;
  const path = `${m.instanceDir}/bootcmd`;
  m.host.files.writeFile(path, shellify(entries), { mode: 0o700 });
  m.host.files.chmod(path, 0o700);
  const status = await m.host.runFile(path, m.out, { INSTANCE_ID: m.host.instanceId });
  if (status !== 0) m.log('WARNING', 'cc_bootcmd.py', `Failed to run bootcmd module bootcmd`);
  return status === 0;
}

/** runcmd: written as a script now, run by scripts-user in the final stage (as cloud-init does). */
export function runcmd(m: ModuleContext): boolean {
  const entries = m.config['runcmd'];
  if (!Array.isArray(entries) || entries.length === 0) return true;
  const dir = `${m.instanceDir}/scripts`;
  mkdirs(m.host, dir);
  m.host.files.writeFile(`${dir}/runcmd`, shellify(entries), { mode: 0o700 });
  m.host.files.chmod(`${dir}/runcmd`, 0o700);
  return true;
}

/** cloud-init's util.shellify: `#!/bin/sh`, then one line per entry. */
function shellify(entries: unknown[]): string {
  const lines = entries.map(commandLine).filter((l): l is string => l !== undefined);
  return `#!/bin/sh\n${lines.join('\n')}\n`;
}

/** write_files: path, content, encoding (b64, gzip, gz+b64 …), permissions, owner, append; `defer` ones wait for the final stage. */
export function writeFiles(m: ModuleContext, deferred: boolean): boolean {
  const files = m.config['write_files'];
  if (!Array.isArray(files)) return true;
  let ok = true;
  for (const f of files) {
    if (!f || typeof f !== 'object') continue;
    const spec = f as Record<string, unknown>;
    if (Boolean(spec['defer']) !== deferred) continue;
    const path = typeof spec['path'] === 'string' ? spec['path'] : '';
    if (!path.startsWith('/')) {
      m.log('WARNING', 'cc_write_files.py', `No path provided to write for entry ${JSON.stringify(spec)}`);
      continue;
    }
    try {
      const data = decodeContent(spec['content'], String(spec['encoding'] ?? 'text/plain').toLowerCase());
      const mode = permissions(spec['permissions']);
      mkdirs(m.host, dirname(path));
      const append = spec['append'] === true;
      m.host.files.writeFile(path, data, { append, mode });
      if (!append) m.host.files.chmod(path, mode);
      const [user, group] = String(spec['owner'] ?? 'root:root').split(':');
      const u = m.host.users.user(user ?? 'root');
      const g = group ? m.host.users.group(group) : undefined;
      if (!u || (group && !g)) throw new Error(`owner ${String(spec['owner'])} does not exist`);
      m.host.files.chown(path, u.uid, g ? g.gid : u.gid);
      m.log('DEBUG', 'cc_write_files.py', `Writing to ${path} - wb: [${mode.toString(8)}] ${data.length} bytes`);
    } catch (e) {
      ok = false;
      m.log('WARNING', 'cc_write_files.py', `Failed writing ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return ok;
}

function decodeContent(content: unknown, encoding: string): Buffer {
  const text = content === undefined || content === null ? '' : String(content);
  const b64 = () => Buffer.from(text.replace(/\s+/g, ''), 'base64');
  switch (encoding) {
    case 'b64':
    case 'base64':
      return b64();
    case 'gz':
    case 'gzip':
      return gunzipSync(Buffer.from(text, 'latin1'), { maxOutputLength: 1 << 20 });
    case 'gz+b64':
    case 'gz+base64':
    case 'gzip+b64':
    case 'gzip+base64':
      return gunzipSync(b64(), { maxOutputLength: 1 << 20 });
    default:
      return Buffer.from(text, 'utf8');
  }
}

/** `0644`, `'0644'`, `'644'`, 420 → 0o644 (YAML 1.1 already read an unquoted 0644 as octal). */
function permissions(v: unknown): number {
  if (v === undefined || v === null) return 0o644;
  if (typeof v === 'number') return v & 0o7777;
  const s = String(v).trim().replace(/^0o/, '');
  if (!/^[0-7]{1,4}$/.test(s)) throw new Error(`Invalid permissions ${String(v)}`);
  return parseInt(s, 8);
}

/** set_hostname: `hostname` / `fqdn` → /etc/hostname (short name unless prefer_fqdn_over_hostname). */
export function setHostname(m: ModuleContext): boolean {
  const c = m.config;
  if (c['preserve_hostname'] === true) return true;
  const fqdn = typeof c['fqdn'] === 'string' ? c['fqdn'] : undefined;
  let name = typeof c['hostname'] === 'string' ? c['hostname'] : undefined;
  if (name === undefined && fqdn === undefined) return true;
  if (c['prefer_fqdn_over_hostname'] === true && fqdn) name = fqdn;
  else if (name === undefined) name = fqdn!.split('.')[0]!;
  m.host.files.writeFile('/etc/hostname', `${name}\n`);
  m.log('DEBUG', 'cc_set_hostname.py', `Setting the hostname to ${name}`);
  return true;
}

/** users and groups: groupadd/useradd as cloud-init runs them, sudo rules, per-user keys. */
export async function usersGroups(m: ModuleContext): Promise<boolean> {
  let ok = true;
  const run = async (line: string) => {
    const status = await m.host.runAsRoot(line, m.out);
    if (status !== 0) {
      ok = false;
      m.log('WARNING', 'subp.py', `Failed running ${line} [${status}]`);
    }
    return status === 0;
  };
  for (const g of Array.isArray(m.config['groups']) ? m.config['groups'] : nameList(m.config['groups'])) {
    const [name, members] = typeof g === 'object' && g !== null ? Object.entries(g)[0] ?? [] : [String(g), []];
    if (!name) continue;
    if (!m.host.users.group(name)) await run(`groupadd ${shellQuote(name)}`);
    for (const member of nameList(members)) {
      if (m.host.users.user(member)) await run(`usermod -a -G ${shellQuote(name)} ${shellQuote(member)}`);
      else m.log('WARNING', 'cc_users_groups.py', `Unable to add group member '${member}' to group '${name}'; user does not exist.`);
    }
  }
  const users = m.config['users'] === undefined ? ['default'] : Array.isArray(m.config['users']) ? m.config['users'] : nameList(m.config['users']);
  const sudoers: string[] = [];
  for (const entry of users) {
    const spec: Record<string, unknown> =
      entry === 'default' ? { name: m.host.defaultUser, default: true } : typeof entry === 'string' ? { name: entry } : (entry as Record<string, unknown>);
    const name = typeof spec['name'] === 'string' ? spec['name'] : undefined;
    if (!name) {
      m.log('WARNING', 'cc_users_groups.py', `Skipping a users entry without a name: ${JSON.stringify(entry)}`);
      continue;
    }
    if (spec['default'] === true) {
      // The image's default user exists already, with its sudo rule; only keys are added below.
    } else if (m.host.users.user(name)) {
      m.log('INFO', 'distros/__init__.py', `User ${name} already exists, skipping.`);
    } else {
      const groups = nameList(spec['groups']);
      for (const g of groups) if (!m.host.users.group(g)) await run(`groupadd ${shellQuote(g)}`);
      const args = ['useradd'];
      if (typeof spec['gecos'] === 'string') args.push('--comment', spec['gecos']);
      if (typeof spec['homedir'] === 'string') args.push('--home-dir', spec['homedir']);
      if (typeof spec['primary_group'] === 'string') args.push('--gid', spec['primary_group']);
      if (groups.length) args.push('--groups', groups.join(','));
      if (typeof spec['shell'] === 'string') args.push('--shell', spec['shell']);
      if (spec['uid'] !== undefined) args.push('--uid', String(spec['uid']));
      if (spec['system'] === true) args.push('--system');
      if (spec['no_create_home'] !== true && spec['system'] !== true) args.push('-m');
      args.push(name);
      if (!(await run(args.map(shellQuote).join(' ')))) continue;
    }
    const sudo = spec['sudo'];
    const rules = typeof sudo === 'string' ? [sudo] : Array.isArray(sudo) ? sudo.map(String) : [];
    if (rules.length) sudoers.push(`\n# User rules for ${name}\n${rules.map((r) => `${name} ${r}`).join('\n')}\n`);
    const keys = nameListKeys(spec['ssh_authorized_keys']);
    if (spec['default'] === true) keys.push(...nameListKeys(m.config['ssh_authorized_keys']));
    if (keys.length) addAuthorizedKeys(m, name, keys);
  }
  if (!users.includes('default') && m.config['ssh_authorized_keys'] !== undefined) {
    // cc_ssh gives the top-level keys to the default user even when `users` does not list it.
    addAuthorizedKeys(m, m.host.defaultUser, nameListKeys(m.config['ssh_authorized_keys']));
  }
  if (sudoers.length) {
    const file = '/etc/sudoers.d/90-cloud-init-users';
    mkdirs(m.host, '/etc/sudoers.d', 0o750);
    const existing = m.host.files.exists(file) ? m.host.files.readFile(file).toString('utf8') : '';
    m.host.files.writeFile(file, existing + sudoers.join(''), { mode: 0o440 });
    m.host.files.chmod(file, 0o440);
  }
  return ok;
}

const nameListKeys = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []).map((k) => k.trim()).filter(Boolean);

function addAuthorizedKeys(m: ModuleContext, userName: string, keys: string[]): void {
  const user = m.host.users.user(userName);
  if (!user || keys.length === 0) return;
  const files = m.host.files;
  const dir = `${trimEndOf(user.home, '/')}/.ssh`;
  const file = `${dir}/authorized_keys`;
  if (!files.exists(user.home)) {
    mkdirs(m.host, user.home, 0o700);
    files.chown(user.home, user.uid, user.gid);
  }
  if (!files.exists(dir)) files.mkdir(dir, 0o700);
  files.chmod(dir, 0o700);
  files.chown(dir, user.uid, user.gid);
  let existing = files.exists(file) ? files.readFile(file).toString('utf8') : '';
  if (existing && !existing.endsWith('\n')) existing += '\n';
  const have = new Set(existing.split('\n'));
  files.writeFile(file, existing + keys.filter((k) => !have.has(k)).map((k) => `${k}\n`).join(''), { mode: 0o600 });
  files.chmod(file, 0o600);
  files.chown(file, user.uid, user.gid);
}

/** scripts-user: every executable file of the instance's scripts directory, in name order. */
export async function scriptsUser(m: ModuleContext): Promise<boolean> {
  const dir = `${m.instanceDir}/scripts`;
  if (!m.host.files.exists(dir)) return true;
  let failed = false;
  for (const name of m.host.files.readdir(dir).sort()) {
    const path = `${dir}/${name}`;
    const st = m.host.files.stat(path);
    if (st.type !== 'file' || (st.mode & 0o111) === 0) continue;
    const status = await m.host.runFile(path, m.out);
    if (status !== 0) {
      failed = true;
      m.log('WARNING', 'subp.py', `Failed running ${path} [${status}]`);
    }
  }
  if (failed) m.log('WARNING', 'cc_scripts_user.py', `Failed to run module scripts-user (scripts in ${dir})`);
  return !failed;
}
