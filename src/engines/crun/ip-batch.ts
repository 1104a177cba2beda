// `ip` commands run in another process's network namespace as one `ip -batch` process: a boot
// configures a dozen links, routes and rules, and each separate `ip` (with its shell and nsenter)
// is a process start on the boot's critical path.
import { spawn } from 'node:child_process';

/**
 * Runs `commands` (each an `ip` command line without the leading `ip`) in the network namespace
 * of `pid`, in order; the first that fails stops the rest and rejects with its message.
 */
export function ipIn(pid: number, commands: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['-t', String(pid), '-n', 'ip', '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ip in ${pid}'s network namespace (${code}): ${err.trim()}`))));
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(commands.join('\n') + '\n');
  });
}
