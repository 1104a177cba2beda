// Configuration run in another process's network namespace as one process reading its script on
// stdin: a boot configures a dozen links, routes and rules (`ip -batch`), a VPC its filter
// (`nft -f`), and each separate command (with its shell and nsenter) is a process start on the
// boot's critical path.
import { spawn } from 'node:child_process';

/** Runs `argv` in the network namespace of `pid` with `script` on its stdin; rejects with its stderr when it fails. */
function runInNetns(pid: number, argv: string[], script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['-t', String(pid), '-n', ...argv], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} in ${pid}'s network namespace (${code}): ${err.trim()}`))));
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(script);
  });
}

/**
 * Runs `commands` (each an `ip` command line without the leading `ip`) in the network namespace
 * of `pid`, in order; the first that fails stops the rest and rejects with its message.
 */
export function ipIn(pid: number, commands: string[]): Promise<void> {
  return runInNetns(pid, ['ip', '-batch', '-'], commands.join('\n') + '\n');
}

/** Loads an nft script in the network namespace of `pid` (one transaction: all of it or nothing). */
export function nftIn(pid: number, script: string): Promise<void> {
  return runInNetns(pid, ['nft', '-f', '-'], script);
}
