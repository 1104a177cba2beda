// test / [ and the file tests shared with [[ ]]: POSIX's rules by argument
// count, bash's messages ("integer expression expected", "missing `]'").
import { resolvePath } from '../fs/vfs.js';
import type { Command, CommandContext, GuestSystem, Proc } from './types.js';

const statOf = (sys: GuestSystem, proc: Proc, p: string) => {
  try {
    return sys.vfs.stat(proc.cred, resolvePath(proc.cwd, p));
  } catch {
    return undefined;
  }
};

export const UNARY_FILE_TESTS = new Set(['-e', '-a', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-p', '-S', '-b', '-c', '-t', '-g', '-u', '-k', '-O', '-G', '-N']);

/** A unary file test (-e -f -d…) or, with `right`, -nt / -ot / -ef. */
export function fileTest(sys: GuestSystem, proc: Proc, op: string, arg: string, tty: boolean, right?: string): boolean {
  if (right !== undefined) {
    const a = statOf(sys, proc, arg);
    const b = statOf(sys, proc, right);
    if (op === '-nt') return !!a && (!b || a.mtime > b.mtime);
    if (op === '-ot') return !!b && (!a || a.mtime < b.mtime);
    return !!a && !!b && a.ino === b.ino;
  }
  const st = statOf(sys, proc, arg);
  const path = resolvePath(proc.cwd, arg);
  switch (op) {
    case '-e':
    case '-a':
      return !!st;
    case '-f':
      return st?.type === 'file';
    case '-d':
      return st?.type === 'dir';
    case '-s':
      return !!st && st.size > 0;
    case '-r':
      return !!st && sys.vfs.access(proc.cred, path, 4);
    case '-w':
      return !!st && sys.vfs.access(proc.cred, path, 2);
    case '-x':
      return !!st && sys.vfs.access(proc.cred, path, 1) && (st.type === 'dir' || (st.mode & 0o111) !== 0 || proc.cred.uid !== 0);
    case '-O':
      return !!st && st.uid === proc.cred.uid;
    case '-u':
      return !!st && (st.mode & 0o4000) !== 0;
    case '-g':
      return !!st && (st.mode & 0o2000) !== 0;
    case '-k':
      return !!st && (st.mode & 0o1000) !== 0;
    case '-c':
      return ['/dev/null', '/dev/zero', '/dev/tty', '/dev/urandom', '/dev/random'].includes(path);
    case '-t':
      return tty && (arg === '0' || arg === '1' || arg === '2');
    default:
      return false;
  }
}

class TestError extends Error {}

const INT_OPS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const BINARY_OPS = new Set(['=', '==', '!=', '<', '>', ...INT_OPS, '-nt', '-ot', '-ef']);

function integer(s: string): bigint {
  const t = s.trim();
  if (!/^[-+]?[0-9]+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
  return BigInt(t);
}

function evalTest(ctx: CommandContext, a: string[]): boolean {
  const unary = (op: string, v: string): boolean => {
    if (op === '-z') return v === '';
    if (op === '-n') return v !== '';
    if (op === '-v') return ctx.proc.env.has(v);
    if (UNARY_FILE_TESTS.has(op)) return fileTest(ctx.sys, ctx.proc, op, v, ctx.io.tty);
    throw new TestError(`${op}: unary operator expected`);
  };
  const binary = (l: string, op: string, r: string): boolean => {
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '<':
        return l < r;
      case '>':
        return l > r;
      case '-nt':
      case '-ot':
      case '-ef':
        return fileTest(ctx.sys, ctx.proc, op, l, ctx.io.tty, r);
    }
    const x = integer(l);
    const y = integer(r);
    return { '-eq': x === y, '-ne': x !== y, '-lt': x < y, '-le': x <= y, '-gt': x > y, '-ge': x >= y }[op] ?? false;
  };
  switch (a.length) {
    case 0:
      return false;
    case 1:
      return a[0] !== '';
    case 2:
      if (a[0] === '!') return a[1] === '';
      return unary(a[0]!, a[1]!);
    case 3:
      if (BINARY_OPS.has(a[1]!)) return binary(a[0]!, a[1]!, a[2]!);
      if (a[0] === '!') return !evalTest(ctx, a.slice(1));
      if (a[0] === '(' && a[2] === ')') return a[1] !== '';
      if (a[1] === '-a') return a[0] !== '' && a[2] !== '';
      if (a[1] === '-o') return a[0] !== '' || a[2] !== '';
      throw new TestError(`${a[1]}: binary operator expected`);
    case 4:
      if (a[0] === '!') return !evalTest(ctx, a.slice(1));
      if (a[0] === '(' && a[3] === ')') return evalTest(ctx, a.slice(1, 3));
  }
  // longer expressions: -o binds looser than -a
  const o = a.indexOf('-o', 1);
  if (o > 0) return evalTest(ctx, a.slice(0, o)) || evalTest(ctx, a.slice(o + 1));
  const n = a.indexOf('-a', 1);
  if (n > 0) return evalTest(ctx, a.slice(0, n)) && evalTest(ctx, a.slice(n + 1));
  if (a[0] === '!') return !evalTest(ctx, a.slice(1));
  if (a[0] === '(' && a[a.length - 1] === ')') return evalTest(ctx, a.slice(1, -1));
  throw new TestError('too many arguments');
}

export const test: Command = (ctx) => {
  let args = ctx.args;
  if (ctx.name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.io.err.write("[: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evalTest(ctx, args) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      ctx.io.err.write(`${ctx.name === '[' ? '[' : 'test'}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};
