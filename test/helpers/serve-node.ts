// `ec2lite serve` as a separate process (the store tests run two on one PostgreSQL database, as
// behind a load balancer): started from dist/, ready once it prints its "listening on" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/helpers → repo

export interface ServeNode {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

/** Spawns `ec2lite serve --port 0 --database URL ...args` with `env` added, and waits until it listens. */
export async function startServeNode(database: string, opts: { args?: string[]; env?: Record<string, string> } = {}): Promise<ServeNode> {
  const child = spawn(process.execPath, ['dist/src/cli/main.js', 'serve', '--port', '0', '--database', database, ...(opts.args ?? [])], {
    cwd: root,
    env: { ...process.env, EC2LITE_DATABASE_URL: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /ec2lite listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`ec2lite serve exited with ${code} before listening:\n${stderr}`)));
  });
  return { url, child, stderr: () => stderr };
}

/** Signals the node (SIGTERM: a clean shutdown) and waits for it to exit; one already gone is left be. */
export async function stopServeNode(node: ServeNode | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = once(node.child, 'exit');
  node.child.kill(signal);
  await exited;
}
