// The guest's awk (also gawk): options, program text, and the record source
// (stdin streamed line by line, files read whole); the language itself is in
// parse.ts and interp.ts.
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
    if (!(e instanceof AwkSyntaxError)) throw e;
    ctx.io.err.write(`awk: cmd. line:1: ${e.message}\n`);
    return 2;
  }
  // -F t is a tab, as in POSIX awk; other values keep their escapes (\t, \|)
  if (fs !== undefined) machine.setVar('FS', fs === 't' ? '\t' : unescape(fs));
  for (const [k, v] of assigns) machine.setVar(k, v);
  machine.setArgv(['awk', ...args]);
  const readStdin = () => {
    let pending: string[] | undefined;
    return {
      next: async (): Promise<string | null> => {
        if (pending) return pending.shift() ?? null;
        const splitter = machine.recordSplitter();
        const rs = machine.scalarString('RS');
        if (rs.length === 1) {
          try {
            const got = await ctx.io.input.readLine(rs.charCodeAt(0));
            return got ? got.line : null;
          } catch (e) {
            if (e instanceof InputTooLarge) throw new AwkFatal('record too long');
            throw e;
          }
        }
        pending = splitter((await ctx.io.input.readAll()).toString('utf8'), true).records;
        return pending.shift() ?? null;
      },
    };
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
    if (!(e instanceof AwkFatal)) throw e;
    ctx.io.err.write(`awk: cmd. line:1: fatal: ${e.message}\n`);
    return 2;
  }
  return machine.exitCode;
};
