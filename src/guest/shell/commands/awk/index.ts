// The guest's awk (also gawk): options, program text, and the record source
// (stdin streamed line by line, files read whole); the language itself is in
// parse.ts and interp.ts.
import { StringDecoder } from 'node:string_decoder';
import { resolvePath } from '../../../fs/vfs.js';
import { isFsError } from '../../../fs/errors.js';
import { InputTooLarge } from '../../streams.js';
import type { Command } from '../../types.js';
import { AwkFatal, AwkMachine } from './interp.js';
import { AwkSyntaxError, parseAwk, unescape } from './parse.js';

const USAGE = 'Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] \'program\' file ...\n';

export const awk: Command = async (ctx) => {
  const args = [...ctx.args];
  let fs: string | undefined;
  const assigns: [string, string][] = [];
  const progFiles: string[] = [];
  while (args.length && args[0]!.startsWith('-') && args[0] !== '-') {
    const a = args.shift()!;
    if (a === '--') break;
    if (a === '--version' || a === '-V') {
      ctx.io.out.write('GNU Awk 5.2.1, API 3.2\n');
      return 0;
    }
    if (a.startsWith('-F')) fs = a.length > 2 ? a.slice(2) : args.shift();
    else if (a.startsWith('-v')) {
      const spec = a.length > 2 ? a.slice(2) : args.shift();
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(spec ?? '');
      if (!m) {
        ctx.io.err.write(`awk: fatal: \`${spec ?? ''}' is not a legal variable name\n`);
        return 2;
      }
      assigns.push([m[1]!, unescape(m[2]!)]);
    } else if (a.startsWith('-f')) {
      const f = a.length > 2 ? a.slice(2) : args.shift();
      if (f === undefined) {
        ctx.io.err.write(USAGE);
        return 2;
      }
      progFiles.push(f);
    } else if (a === '--posix' || a === '--traditional' || a === '-P' || a === '-S' || a === '--sandbox') continue;
    else {
      ctx.io.err.write(`awk: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1, 2)}'`}\n${USAGE}`);
      return 2;
    }
  }
  let source: string;
  if (progFiles.length) {
    const texts: string[] = [];
    for (const f of progFiles) {
      try {
        texts.push(f === '/dev/null' ? '' : ctx.sys.vfs.readFile(ctx.proc.cred, resolvePath(ctx.proc.cwd, f)).toString('utf8'));
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`awk: fatal: can't open source file \`${f}' for reading: ${e.text}\n`);
        return 2;
      }
    }
    source = texts.join('\n');
  } else {
    const p = args.shift();
    if (p === undefined) {
      ctx.io.err.write(USAGE);
      return 2;
    }
    source = p;
  }
  let machine: AwkMachine;
  try {
    machine = new AwkMachine(parseAwk(source), ctx);
  } catch (e) {
    if (e instanceof RangeError) return tooDeep(ctx, e);
    if (!(e instanceof AwkSyntaxError)) throw e;
    ctx.io.err.write(`awk: cmd. line:1: ${e.message}\n`);
    return 2;
  }
  // -F t is a tab, as in POSIX awk; other values keep their escapes (\t, \|)
  if (fs !== undefined) machine.setVar('FS', fs === 't' ? '\t' : unescape(fs));
  for (const [k, v] of assigns) machine.setVar(k, v);
  machine.setArgv(['awk', ...args]);
  // stdin is read in chunks and cut into records here (a promise per chunk, not per line)
  const readStdin = () => {
    const decoder = new StringDecoder('utf8');
    let buf = '';
    let queue: string[] = [];
    let qi = 0;
    let splitBy = '';
    let eof = false;
    /** The RS the whole rest of the input was cut by (paragraph or regex mode). */
    let whole: string | undefined;
    return {
      next: async (): Promise<string | null> => {
        const rs = machine.scalarString('RS');
        if (rs.length !== 1) {
          // paragraph mode or a regex RS: the rest of the input at once, cut once
          if (whole === rs) return qi < queue.length ? queue[qi++]! : null;
          whole = rs;
          const rest = queue.slice(qi).map((x) => x + splitBy).join('') + buf + (eof ? '' : decoder.write(await readAllInput()) + decoder.end());
          eof = true;
          buf = '';
          queue = machine.recordSplitter()(rest, true).records;
          qi = 0;
          splitBy = '';
          return qi < queue.length ? queue[qi++]! : null;
        }
        whole = undefined;
        if (rs !== splitBy && qi < queue.length) {
          // RS changed: cut what is left again
          buf = queue.slice(qi).map((x) => x + splitBy).join('') + buf;
          queue = [];
          qi = 0;
        }
        for (;;) {
          if (qi < queue.length) return queue[qi++]!;
          if (eof) {
            if (buf === '') return null;
            const last = buf;
            buf = '';
            return last;
          }
          const chunk = await ctx.io.input.read();
          if (!chunk) {
            eof = true;
            buf += decoder.end();
            continue;
          }
          buf += decoder.write(chunk);
          if (!buf.includes(rs)) {
            if (buf.length > 8 * 1024 * 1024) throw new AwkFatal('record too long');
            continue;
          }
          queue = buf.split(rs);
          buf = queue.pop()!;
          qi = 0;
          splitBy = rs;
        }
      },
    };
  };
  const readAllInput = async () => {
    try {
      return await ctx.io.input.readAll();
    } catch (e) {
      if (e instanceof InputTooLarge) throw new AwkFatal('input too large');
      throw e;
    }
  };
  const openFile = (name: string) => {
    try {
      return machine.textReader(ctx.sys.vfs.readFile(ctx.proc.cred, resolvePath(ctx.proc.cwd, name)).toString('utf8'));
    } catch (e) {
      if (!isFsError(e)) throw e;
      return e.text;
    }
  };
  try {
    await machine.run(args, readStdin, openFile);
  } catch (e) {
    if (e instanceof RangeError) return tooDeep(ctx, e);
    if (!(e instanceof AwkFatal)) throw e;
    ctx.io.err.write(`awk: cmd. line:1: fatal: ${e.message}\n`);
    return 2;
  }
  return machine.exitCode;
};

/** A program nested past the JavaScript stack (thousands of parentheses) or a value past its limits: fatal, not an internal error. */
function tooDeep(ctx: Parameters<Command>[0], e: RangeError): number {
  ctx.io.err.write(`awk: fatal: ${/call stack/.test(e.message) ? 'program too deeply nested' : e.message}\n`);
  return 2;
}
