// The remote end of the legacy scp protocol, as OpenSSH's scp runs it on a server: `scp -t`
// (sink: receives files) and `scp -f` (source: sends them), with -r, -p, -d and -v. Terraform's
// and Packer's communicators upload with `scp -vt <dir>`; OpenSSH's client uses it with `scp -O`.
// Each control line is answered with a NUL byte (ok), \x01 (warning) or \x02 (fatal) + message.
import { isFsError } from '../../fs/errors.js';
import { basename, resolvePath } from '../../fs/vfs.js';
import type { Command, CommandContext } from '../types.js';
import { getopt } from './util.js';

const OK = Buffer.from([0]);
const errText = (e: unknown) => (isFsError(e) ? e.message.slice(e.message.lastIndexOf(': ') + 2) : e instanceof Error ? e.message : String(e));

export const scp: Command = async (ctx) => {
  const o = getopt(ctx.args, { bool: 'tfrpdvqO' });
  const f = o.flags;
  if (f.has('t')) return sink(ctx, o.operands[0] ?? '.', f.has('r'), f.has('p'), f.has('d'), f.has('v'));
  if (f.has('f')) return source(ctx, o.operands, f.has('r'), f.has('p'));
  // A user typing scp inside the guest: there is no network to copy to.
  ctx.io.err.write('usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n           [-P port] [-S program] [-X sftp_option] source ... target\n');
  return 1;
};

async function sink(ctx: CommandContext, target: string, recursive: boolean, preserve: boolean, mustBeDir: boolean, verbose: boolean): Promise<number> {
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const input = ctx.io.input;
  const root = resolvePath(ctx.proc.cwd, target);
  const isDir = (p: string) => {
    try {
      return vfs.stat(cred, p).type === 'dir';
    } catch {
      return false;
    }
  };
  const out = ctx.io.out;
  let failed = false;
  const fail = (msg: string) => {
    failed = true;
    out.write(Buffer.concat([Buffer.from([1]), Buffer.from(`scp: ${msg}\n`)]));
  };
  if (mustBeDir && !isDir(root)) {
    out.write(Buffer.concat([Buffer.from([2]), Buffer.from(`scp: ${target}: Not a directory\n`)]));
    return 1;
  }
  const dirs: string[] = [];
  let times: number | undefined;
  out.write(OK);
  for (;;) {
    const first = await input.readBytes(1);
    if (first.length === 0) break; // EOF: the client is done
    const code = String.fromCharCode(first[0]!);
    const rest = await input.readLine();
    const line = rest?.line ?? '';
    if (verbose) ctx.io.err.write(`Sink: ${code}${line}\n`);
    if (code === '\x01' || code === '\x02') {
      // the source reports a problem with one of its files
      ctx.io.err.write(`${line}\n`);
      if (code === '\x02') return 1;
      continue;
    }
    if (code === 'E') {
      dirs.pop();
      out.write(OK);
      continue;
    }
    if (code === 'T') {
      const m = /^(\d+) \d+ (\d+) \d+$/.exec(line);
      if (!m) {
        out.write(Buffer.concat([Buffer.from([2]), Buffer.from('scp: protocol error: mtime.sec not delimited\n')]));
        return 1;
      }
      times = Number(m[1]) * 1000;
      out.write(OK);
      continue;
    }
    const m = /^([0-7]{4}) (\d+) (.+)$/.exec(line);
    if ((code !== 'C' && code !== 'D') || !m) {
      out.write(Buffer.concat([Buffer.from([2]), Buffer.from(`scp: protocol error: expected control record\n`)]));
      return 1;
    }
    const mode = parseInt(m[1]!, 8);
    const size = Number(m[2]);
    const name = m[3]!;
    if (name.includes('/') || name === '..') {
      out.write(Buffer.concat([Buffer.from([2]), Buffer.from(`scp: error: unexpected filename: ${name}\n`)]));
      return 1;
    }
    const parent = dirs.length ? dirs[dirs.length - 1]! : root;
    const path = dirs.length || isDir(root) ? `${parent.replace(/\/$/, '')}/${name}` : root;
    if (code === 'D') {
      if (!recursive) {
        out.write(Buffer.concat([Buffer.from([2]), Buffer.from('scp: received directory without -r\n')]));
        return 1;
      }
      try {
        if (!isDir(path)) vfs.mkdir(cred, path, 0o700);
        vfs.chmod(cred, path, preserve ? mode : mode & ~ctx.proc.umask);
        dirs.push(path);
        out.write(OK);
      } catch (e) {
        out.write(Buffer.concat([Buffer.from([2]), Buffer.from(`scp: ${path}: ${errText(e)}\n`)]));
        return 1;
      }
      continue;
    }
    // C: the file's bytes follow our ack, then the source's own NUL
    out.write(OK);
    const data = await input.readBytes(size);
    const status = await input.readBytes(1);
    if (data.length < size || status.length < 1) return 1; // the client went away mid-file
    try {
      const existed = vfs.exists(cred, path);
      vfs.writeFile(cred, path, data, { mode: mode & ~ctx.proc.umask });
      if (preserve || !existed) vfs.chmod(cred, path, preserve ? mode : mode & ~ctx.proc.umask);
      if (times !== undefined) vfs.utimes(cred, path, times);
      out.write(OK);
    } catch (e) {
      fail(`${path}: ${errText(e)}`);
    }
    times = undefined;
  }
  return failed ? 1 : 0;
}

async function source(ctx: CommandContext, paths: string[], recursive: boolean, preserve: boolean): Promise<number> {
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const input = ctx.io.input;
  const out = ctx.io.out;
  let failed = false;
  const ack = async (): Promise<boolean> => {
    const b = await input.readBytes(1);
    if (b.length === 0) return false;
    if (b[0] === 0) return true;
    const msg = await input.readLine();
    ctx.io.err.write(`${msg?.line ?? ''}\n`);
    return b[0] === 1;
  };
  const warn = (msg: string) => {
    failed = true;
    out.write(Buffer.concat([Buffer.from([1]), Buffer.from(`scp: ${msg}\n`)]));
  };
  const send = async (path: string): Promise<boolean> => {
    let st;
    try {
      st = vfs.stat(cred, path);
    } catch (e) {
      warn(`${path}: ${errText(e)}`);
      return true;
    }
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    if (preserve) {
      const secs = Math.floor(st.mtime / 1000);
      out.write(`T${secs} 0 ${secs} 0\n`);
      if (!(await ack())) return false;
    }
    if (st.type === 'dir') {
      if (!recursive) {
        warn(`${path}: not a regular file`);
        return true;
      }
      out.write(`D${mode} 0 ${basename(path)}\n`);
      if (!(await ack())) return false;
      let names: string[];
      try {
        names = vfs.readdir(cred, path);
      } catch (e) {
        warn(`${path}: ${errText(e)}`);
        names = [];
      }
      for (const n of names) if (!(await send(`${path.replace(/\/$/, '')}/${n}`))) return false;
      out.write('E\n');
      return ack();
    }
    if (st.type !== 'file') {
      warn(`${path}: not a regular file`);
      return true;
    }
    let data: Buffer;
    try {
      data = vfs.readFile(cred, path);
    } catch (e) {
      warn(`${path}: ${errText(e)}`);
      return true;
    }
    out.write(`C${mode} ${data.length} ${basename(path)}\n`);
    if (!(await ack())) return false;
    out.write(data);
    out.write(OK);
    return ack();
  };
  if (!(await ack())) return 1; // the client's first NUL: ready
  for (const p of paths) if (!(await send(resolvePath(ctx.proc.cwd, p)))) return 1;
  return failed ? 1 : 0;
}
