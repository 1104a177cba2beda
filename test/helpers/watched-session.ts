// A long-running OpenSSH session whose output a test watches (held open while the test breaks
// something else, then asked whether it survived).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { sshTarget } from './ssh.js';

export interface WatchedSessionKeys {
  /** The private key file to log in with. */
  readonly key: string;
  readonly knownHosts: string;
}

export class WatchedSession {
  readonly child: ChildProcessWithoutNullStreams;
  out = '';
  readonly exited: Promise<number | null>;

  constructor(host: string, port: number, user: string, command: string, keys: WatchedSessionKeys) {
    this.child = spawn('/usr/bin/ssh', [
      '-o', `UserKnownHostsFile=${keys.knownHosts}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes',
      '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', keys.key, '-p', String(port), `${user}@${host}`, command,
    ]);
    this.child.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr.resume();
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** `command` on instance `id` of the server at `serverUrl`, as its default user. */
  static async open(serverUrl: string, id: string, command: string, keys: WatchedSessionKeys): Promise<WatchedSession> {
    const t = await sshTarget(serverUrl, id);
    return new WatchedSession(t.host, t.port, t.user, command, keys);
  }

  async until(text: string): Promise<void> {
    while (!this.out.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`session ended before '${text}': ${this.out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
