// The guest's `cloud-init` command: `status` (`--wait`, `--long`) and `--version`. Status is
// read from the files cloud-init writes (/var/lib/cloud/data/status.json, result.json), so it
// answers the same in every session and after a restart.
import { ROOT_CRED } from '../fs/vfs.js';
import type { Command, CommandContext } from '../shell/types.js';
import { RESULT, STATUS, rfc2822 } from './cloud-init.js';

/** cloud-init as shipped by the image: Amazon Linux 2023 has 22.2.2, Ubuntu 24.04 has 24.4. */
export const cloudInitVersion = (prompt: 'rhel' | 'debian'): string => (prompt === 'debian' ? '24.4-0ubuntu1~24.04.2' : '22.2.2');

type Status = 'not started' | 'running' | 'done' | 'error';

function readStatus(ctx: CommandContext): { status: Status; errors: string[]; time?: number } {
  const vfs = ctx.sys.vfs;
  if (vfs.exists(ROOT_CRED, RESULT)) {
    let errors: string[] = [];
    try {
      errors = (JSON.parse(vfs.readFile(ROOT_CRED, RESULT).toString('utf8')) as { v1: { errors: string[] } }).v1.errors;
    } catch {
      errors = ['unreadable result.json'];
    }
    return { status: errors.length ? 'error' : 'done', errors, time: vfs.stat(ROOT_CRED, RESULT).mtime };
  }
  return { status: vfs.exists(ROOT_CRED, STATUS) ? 'running' : 'not started', errors: [] };
}

const USAGE = 'usage: /usr/bin/cloud-init [-h] [--version] [--debug] [--force] {init,modules,single,query,features,analyze,devel,collect-logs,clean,status,schema} ...\n';

export const cloudInit: Command = async (ctx) => {
  const [sub, ...rest] = ctx.args;
  if (sub === '--version' || sub === '-v') {
    ctx.io.out.write(`/usr/bin/cloud-init ${cloudInitVersion(ctx.sys.prompt)}\n`);
    return 0;
  }
  if (sub !== 'status') {
    ctx.io.err.write(USAGE);
    ctx.io.err.write(
      sub === undefined
        ? '/usr/bin/cloud-init: error: the following arguments are required: subcommand\n'
        : `/usr/bin/cloud-init: error: argument subcommand: invalid choice: '${sub}' (ec2lite's cloud-init answers 'status' only)\n`,
    );
    return 2;
  }
  const wait = rest.includes('--wait') || rest.includes('-w') || rest.some((a) => /^-[a-z]*w/.test(a));
  const long = rest.includes('--long') || rest.includes('-l') || rest.some((a) => /^-[a-z]*l/.test(a));
  let s = readStatus(ctx);
  if (wait) {
    while (s.status === 'running' || s.status === 'not started') {
      ctx.io.out.write('.');
      const aborted = await new Promise<boolean>((resolve) => {
        if (ctx.rt.signal.aborted) return resolve(true);
        const t = setTimeout(() => resolve(false), 250);
        ctx.rt.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve(true);
        }, { once: true });
      });
      if (aborted) return 130;
      s = readStatus(ctx);
    }
    ctx.io.out.write('\n');
  }
  ctx.io.out.write(`status: ${s.status}\n`);
  if (long) {
    if (s.time !== undefined) ctx.io.out.write(`time: ${rfc2822(s.time)}\n`);
    ctx.io.out.write(`detail:\n${s.status === 'running' ? 'Running in stage: modules-final' : 'DataSourceEc2'}\n`);
    for (const e of s.errors) ctx.io.out.write(`errors: ${e}\n`);
  }
  return s.status === 'error' ? 1 : 0;
};
