// How a command name becomes a program: a path (./x, /tmp/s.sh) or a PATH
// lookup finds an executable file; a file that is one of the image's program
// stubs (/bin/bash, /usr/bin/env…) runs the guest command of that name, any
// other file runs through its `#!` line (or as a shell script without one).
// Commands with no file on the image are still found by name, as if on PATH.
import { isFsError } from '../fs/errors.js';
import { X, resolvePath } from '../fs/vfs.js';
import type { Command, GuestSystem, Proc } from './types.js';

export type Program =
  | { kind: 'command'; name: string; command: Command }
  | { kind: 'shell'; name: 'bash' | 'sh' }
  | { kind: 'script'; path: string; interpreter?: [string, string?] }
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'directory' };

export const SHELLS = new Set(['bash', 'sh']);

/** The first bytes of a program stub on the image (an ELF magic, then the command it stands for). */
export const PROGRAM_STUB_MAGIC = '\x7fELF';
export const programStub = (name: string) => `${PROGRAM_STUB_MAGIC} ec2lite guest program: ${name}\n`;

const BIN_DIR = /^\/(usr\/)?(local\/)?s?bin\/([^/]+)$/;

function byName(name: string, commands: Record<string, Command>): Program {
  if (SHELLS.has(name)) return { kind: 'shell', name: name as 'bash' | 'sh' };
  if (Object.prototype.hasOwnProperty.call(commands, name)) return { kind: 'command', name, command: commands[name]! };
  return { kind: 'missing' };
}

function fromFile(sys: GuestSystem, proc: Proc, path: string, commands: Record<string, Command>): Program | undefined {
  let st;
  try {
    st = sys.vfs.stat(proc.cred, path);
  } catch (e) {
    if (isFsError(e) && e.code === 'EACCES') return { kind: 'denied' };
    return undefined;
  }
  if (st.type === 'dir') return { kind: 'directory' };
  if (!sys.vfs.access(proc.cred, path, X) || (st.mode & 0o111) === 0) return { kind: 'denied' };
  let head: string;
  try {
    head = sys.vfs.readFile(proc.cred, path).subarray(0, 256).toString('latin1');
  } catch {
    return { kind: 'denied' };
  }
  if (head.startsWith(PROGRAM_STUB_MAGIC)) {
    const m = /guest program: ([^\s]+)/.exec(head);
    const p = m ? byName(m[1]!, commands) : undefined;
    return p && p.kind !== 'missing' ? p : { kind: 'missing' };
  }
  if (head.startsWith('#!')) {
    const line = head.slice(2).split('\n')[0]!.trim();
    const sp = line.search(/[ \t]/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? undefined : line.slice(sp).trim() || undefined;
    return { kind: 'script', path, interpreter: [interp, arg] };
  }
  return { kind: 'script', path };
}

export function resolveProgram(sys: GuestSystem, proc: Proc, name: string, commands: Record<string, Command>): Program {
  if (name === '') return { kind: 'missing' };
  if (name.includes('/')) {
    const path = resolvePath(proc.cwd, name);
    const f = fromFile(sys, proc, path, commands);
    if (f) return f;
    const m = BIN_DIR.exec(path);
    return m ? byName(m[3]!, commands) : { kind: 'missing' };
  }
  for (const dir of (proc.env.get('PATH') ?? '').split(':')) {
    if (!dir.startsWith('/')) continue;
    const f = fromFile(sys, proc, `${dir.replace(/\/$/, '')}/${name}`, commands);
    if (f && f.kind !== 'denied' && f.kind !== 'directory') return f;
  }
  return byName(name, commands);
}
