// Users, groups and sudo rights, read from the root volume each time they
// are needed (/etc/passwd, /etc/group, /etc/sudoers, /etc/sudoers.d/*), so
// that edits made inside the guest take effect at once, as on Linux.
import type { Cred } from './fs/vfs.js';
import type { GuestFiles } from './guest-files.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !f[0]) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), gecos: f[4] ?? '', home: f[5] ?? '/', shell: f[6] ?? '/bin/sh' });
  }
  return out;
}

export function formatPasswdLine(u: PasswdEntry): string {
  return `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || !f[0]) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) });
  }
  return out;
}

export function formatGroupLine(g: GroupEntry): string {
  return `${g.name}:x:${g.gid}:${g.members.join(',')}`;
}

const NAME_RE = /^[a-z_][a-z0-9_-]*[$]?$/i;
export function validUserName(name: string): boolean {
  return name.length <= 32 && NAME_RE.test(name);
}

export type SudoRight = 'nopasswd' | 'passwd' | 'none';

interface SudoRule {
  who: string[];
  runas: string[] | undefined;
  nopasswd: boolean;
  commands: string[];
}

export class UserDb {
  constructor(private readonly files: GuestFiles) {}

  private read(path: string): string {
    try {
      return this.files.readFile(path).toString('utf8');
    } catch {
      return '';
    }
  }

  users(): PasswdEntry[] {
    return parsePasswd(this.read('/etc/passwd'));
  }
  groups(): GroupEntry[] {
    return parseGroup(this.read('/etc/group'));
  }
  user(name: string): PasswdEntry | undefined {
    return this.users().find((u) => u.name === name);
  }
  userByUid(uid: number): PasswdEntry | undefined {
    return this.users().find((u) => u.uid === uid);
  }
  group(name: string): GroupEntry | undefined {
    return this.groups().find((g) => g.name === name);
  }
  groupByGid(gid: number): GroupEntry | undefined {
    return this.groups().find((g) => g.gid === gid);
  }
  userName(uid: number): string {
    return this.userByUid(uid)?.name ?? String(uid);
  }
  groupName(gid: number): string {
    return this.groupByGid(gid)?.name ?? String(gid);
  }

  /** Primary group first, then the groups listing the user as a member, by gid order of /etc/group. */
  groupsOf(u: PasswdEntry): GroupEntry[] {
    const all = this.groups();
    const primary = all.find((g) => g.gid === u.gid) ?? { name: String(u.gid), gid: u.gid, members: [] };
    return [primary, ...all.filter((g) => g.gid !== u.gid && g.members.includes(u.name))];
  }

  credOf(u: PasswdEntry): Cred {
    return { uid: u.uid, gid: u.gid, groups: this.groupsOf(u).map((g) => g.gid) };
  }

  private nextId(used: Set<number>): number {
    let id = 1000;
    while (used.has(id)) id++;
    return id;
  }

  addGroup(name: string, gid?: number, members: string[] = []): GroupEntry {
    const groups = this.groups();
    const g = { name, gid: gid ?? this.nextId(new Set(groups.map((x) => x.gid))), members };
    this.files.writeFile('/etc/group', this.read('/etc/group').replace(/\n?$/, '\n') + formatGroupLine(g) + '\n');
    return g;
  }

  /** Append a passwd line; uid/gid are picked as useradd does (first free ≥ 1000). */
  addUser(u: Omit<PasswdEntry, 'uid' | 'gid'> & { uid?: number; gid?: number }): PasswdEntry {
    const users = this.users();
    const uid = u.uid ?? this.nextId(new Set([...users.map((x) => x.uid), ...this.groups().map((g) => g.gid)]));
    const entry: PasswdEntry = { ...u, uid, gid: u.gid ?? uid };
    this.files.writeFile('/etc/passwd', this.read('/etc/passwd').replace(/\n?$/, '\n') + formatPasswdLine(entry) + '\n');
    return entry;
  }

  /** Rewrite one user's passwd fields. */
  updateUser(name: string, change: Partial<PasswdEntry>): void {
    const lines = this.read('/etc/passwd').split('\n').map((line) => {
      const [u] = parsePasswd(line);
      return u && u.name === name ? formatPasswdLine({ ...u, ...change }) : line;
    });
    this.files.writeFile('/etc/passwd', lines.join('\n'));
  }

  /** Set the user's supplementary groups (usermod -G), or add to them (usermod -aG). */
  setMembership(user: string, groupNames: string[], append: boolean): void {
    const lines = this.read('/etc/group').split('\n').map((line) => {
      const [g] = parseGroup(line);
      if (!g) return line;
      const want = groupNames.includes(g.name);
      const has = g.members.includes(user);
      if (want && !has) g.members.push(user);
      else if (!want && has && !append) g.members = g.members.filter((m) => m !== user);
      else return line;
      return formatGroupLine(g);
    });
    this.files.writeFile('/etc/group', lines.join('\n'));
  }

  // ---- sudo -----------------------------------------------------------------

  private sudoersText(): string {
    const seen = new Set<string>();
    const load = (path: string): string => {
      if (seen.has(path)) return '';
      seen.add(path);
      const out: string[] = [];
      for (const line of this.read(path).split('\n')) {
        const m = /^\s*[#@](includedir|include)\s+(\S+)/.exec(line);
        if (m) {
          if (m[1] === 'include') out.push(load(m[2]!));
          else {
            let names: string[] = [];
            try {
              names = this.files.readdir(m[2]!);
            } catch {
              names = [];
            }
            // sudo skips files whose names end in ~ or contain a dot
            for (const n of names) if (!n.endsWith('~') && !n.includes('.')) out.push(load(`${m[2]}/${n}`));
          }
        } else out.push(line);
      }
      return out.join('\n');
    };
    return load('/etc/sudoers');
  }

  private sudoRules(): SudoRule[] {
    const rules: SudoRule[] = [];
    const text = this.sudoersText().replace(/\\\n/g, ' ');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line || /^(Defaults|User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias)\b/.test(line)) continue;
      const m = /^(\S+)\s+\S+\s*=\s*(?:\(([^)]*)\))?\s*(.*)$/.exec(line);
      if (!m) continue;
      let rest = m[3] ?? '';
      let nopasswd = false;
      for (;;) {
        const t = /^(NOPASSWD|PASSWD|SETENV|NOSETENV|EXEC|NOEXEC)\s*:\s*/.exec(rest);
        if (!t) break;
        if (t[1] === 'NOPASSWD') nopasswd = true;
        if (t[1] === 'PASSWD') nopasswd = false;
        rest = rest.slice(t[0].length);
      }
      rules.push({
        who: m[1]!.split(','),
        runas: m[2] === undefined ? undefined : m[2].split(':')[0]!.split(',').map((s) => s.trim()),
        nopasswd,
        commands: rest.split(',').map((s) => s.trim()),
      });
    }
    return rules;
  }

  /** What sudo would allow `user` for running `command` as `target` (the last matching rule wins). */
  sudoRight(user: PasswdEntry, target: string, command: string): SudoRight {
    if (user.uid === 0) return 'nopasswd';
    const groupNames = new Set(this.groupsOf(user).map((g) => g.name));
    let right: SudoRight = 'none';
    for (const r of this.sudoRules()) {
      const whoOk = r.who.some((w) => w === 'ALL' || w === user.name || (w.startsWith('%') && groupNames.has(w.slice(1))));
      if (!whoOk) continue;
      const runas = r.runas ?? ['root'];
      if (!runas.includes('ALL') && !runas.includes(target) && !(runas.length === 1 && runas[0] === '' && target === user.name)) continue;
      const cmdOk = r.commands.some((c) => c === 'ALL' || c.split(/\s+/)[0]!.split('/').pop() === command);
      if (!cmdOk) continue;
      right = r.nopasswd ? 'nopasswd' : 'passwd';
    }
    return right;
  }
}
