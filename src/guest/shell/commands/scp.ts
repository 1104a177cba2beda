// The remote end of the legacy scp protocol (what `scp -O`, Terraform's and
// Packer's SSH communicators run): `scp -t DEST` receives files (sink),
// `scp -f PATH` sends them (source); -r for directories, -p for times.
// Each message is one line (C file, D directory, E end of directory, T
// times) answered by a \0, or by \x01 + "scp: …" for an error.
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import type { Command, CommandContext } from '../types.js';

const OK = Buffer.from([0]);

async function sink(ctx: CommandContext, target: string, recursive: boolean, times: boolean): Promise<number> {
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const root = resolvePath(ctx.proc.cwd, target);
  const isDir = (p: string) => {
    try {
      return vfs.stat(cred, p).type === 'dir';
    } catch {
      return false;
    }
  };
  const dirs: string[] = [];
  const dirTimes = new Map<string, number>();
  let pendingTime: number | undefined;
  let status = 0;
  const fail = (msg: string) => {
    ctx.io.out.write(`\x01scp: ${msg}\n`);
    status = 1;
  };
  ctx.io.out.write(OK);
  for (;;) {
    const l = await ctx.io.input.readLine();
    if (!l) break;
    const line = l.line;
    const kind = line[0];
    if (kind === 'E') {
      const dir = dirs.pop();
      // a directory's times are set when it is complete (its files changed its mtime)
      const t = dir !== undefined ? dirTimes.get(dir) : undefined;
      if (dir !== undefined && t !== undefined) vfs.utimes(cred, dir, t);
      ctx.io.out.write(OK);
      continue;
    }
    if (kind === 'T') {
      const m = /^T(\d+) \d+ \d+ \d+/.exec(line);
      pendingTime = m ? Number(m[1]) * 1000 : undefined;
      ctx.io.out.write(OK);
      continue;
    }
    if (kind === '\x01' || kind === '\x02') {
      ctx.io.err.write(line.slice(1) + '\n');
      if (kind === '\x02') return 1;
      continue;
    }
    const m = /^([CD])([0-7]{4}) (\d+) (.+)$/.exec(line);
    if (!m) {
      ctx.io.out.write(`\x02scp: protocol error: unexpected <${line.slice(0, 20)}>\n`);
      return 1;
    }
    const [, type, modeText, sizeText, name] = m as unknown as [string, string, string, string, string];
    if (name.includes('/') || name === '..') {
      ctx.io.out.write(`\x02scp: error: unexpected filename: ${name}\n`);
      return 1;
    }
    const mode = parseInt(modeText, 8) & 0o7777;
    const base = dirs.length ? dirs[dirs.length - 1]! : root;
    const dest = dirs.length || isDir(root) ? `${base === '/' ? '' : base}/${name}` : root;
    if (type === 'D') {
      if (!recursive) {
        ctx.io.out.write('\x02scp: received directory without -r\n');
        return 1;
      }
      try {
        if (!isDir(dest)) vfs.mkdir(cred, dest, mode & ~ctx.proc.umask);
        if (times && pendingTime !== undefined) dirTimes.set(dest, pendingTime);
        dirs.push(dest);
        ctx.io.out.write(OK);
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.out.write(`\x02scp: ${dest}: ${e.text}\n`);
        return 1;
      }
      pendingTime = undefined;
      continue;
    }
    const size = Number(sizeText);
    ctx.io.out.write(OK);
    const data = await ctx.io.input.readBytes(size);
    const ack = await ctx.io.input.readBytes(1);
    if (data.length < size || ack.length < 1) return 1;
    try {
      const existed = vfs.exists(cred, dest);
      vfs.writeFile(cred, dest, data, { mode: mode & ~ctx.proc.umask });
      if (!existed || times) vfs.chmod(cred, dest, times ? mode : mode & ~ctx.proc.umask);
      if (times && pendingTime !== undefined) vfs.utimes(cred, dest, pendingTime);
      ctx.io.out.write(OK);
    } catch (e) {
      if (!isFsError(e)) throw e;
      fail(`${dest}: ${e.text}`);
    }
    pendingTime = undefined;
    await ctx.rt.tick();
  }
  return status;
}

async function source(ctx: CommandContext, paths: string[], recursive: boolean, times: boolean): Promise<number> {
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  let status = 0;
  const waitAck = async (): Promise<boolean> => {
    const b = await ctx.io.input.readBytes(1);
    if (!b.length) return false;
    if (b[0] === 0) return true;
    const l = await ctx.io.input.readLine();
    ctx.io.err.write((l?.line ?? '') + '\n');
    return b[0] === 1;
  };
  const send = async (path: string, shown: string): Promise<boolean> => {
    let st;
    try {
      st = vfs.stat(cred, path);
    } catch (e) {
      if (!isFsError(e)) throw e;
      ctx.io.out.write(`\x01scp: ${shown}: ${e.text}\n`);
      status = 1;
      return true;
    }
    const name = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
    if (times) {
      const t = Math.floor(st.mtime / 1000);
      ctx.io.out.write(`T${t} 0 ${t} 0\n`);
      if (!(await waitAck())) return false;
    }
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    if (st.type === 'dir') {
      if (!recursive) {
        ctx.io.out.write(`\x01scp: ${shown}: not a regular file\n`);
        status = 1;
        return true;
      }
      ctx.io.out.write(`D${mode} 0 ${name}\n`);
      if (!(await waitAck())) return false;
      for (const n of vfs.readdir(cred, path).sort()) if (!(await send(`${path === '/' ? '' : path}/${n}`, `${shown}/${n}`))) return false;
      ctx.io.out.write('E\n');
      return waitAck();
    }
    let data: Buffer;
    try {
      data = vfs.readFile(cred, path);
    } catch (e) {
      if (!isFsError(e)) throw e;
      ctx.io.out.write(`\x01scp: ${shown}: ${e.text}\n`);
      status = 1;
      return true;
    }
    ctx.io.out.write(`C${mode} ${data.length} ${name}\n`);
    if (!(await waitAck())) return false;
    ctx.io.out.write(data);
    ctx.io.out.write(OK);
    await ctx.io.out.drain?.();
    await ctx.rt.tick();
    return waitAck();
  };
  if (!(await waitAck())) return 1;
  for (const p of paths) if (!(await send(resolvePath(ctx.proc.cwd, p), p))) return 1;
  return status;
}

export const scp: Command = async (ctx) => {
  let to = false;
  let from = false;
  let recursive = false;
  let times = false;
  const operands: string[] = [];
  for (const a of ctx.args) {
    if (/^-[a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === 't') to = true;
        else if (c === 'f') from = true;
        else if (c === 'r') recursive = true;
        else if (c === 'p') times = true;
      }
    } else if (a !== '--') operands.push(a);
  }
  if (to) return sink(ctx, operands[0] ?? '.', recursive, times);
  if (from) return source(ctx, operands, recursive, times);
  ctx.io.err.write('usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n           [-P port] [-S program] [-X sftp_option] source ... target\n');
  return 1;
};
