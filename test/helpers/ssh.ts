// The real OpenSSH client into an instance, the way the end-to-end tests log in: the address from
// the server's /_ec2lite/instances/ID/ssh, a known_hosts file of the test's own, only the given key,
// never a prompt.
import assert from 'node:assert/strict';
import { runAsync, type ProcessResult } from './tools.js';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
}

/** Where to SSH into instance `id` (the endpoint must answer 200). */
export async function sshTarget(serverUrl: string, id: string): Promise<SshTarget> {
  const res = await fetch(`${serverUrl}/_ec2lite/instances/${id}/ssh`);
  assert.equal(res.status, 200, `no SSH endpoint for ${id}`);
  return (await res.json()) as SshTarget;
}

export interface SshOptions {
  key: string;
  knownHosts: string;
  /** `no` trusts any host key (instances share ports across tests); `accept-new` pins the first one. */
  hostKeys?: 'no' | 'accept-new';
  /** Log in as another user than the one the endpoint names. */
  user?: string;
}

/** Runs `command` on instance `id` with /usr/bin/ssh. */
export async function sshInstance(serverUrl: string, id: string, command: string, opts: SshOptions): Promise<ProcessResult> {
  const t = await sshTarget(serverUrl, id);
  return runAsync('/usr/bin/ssh', [
    '-o', `UserKnownHostsFile=${opts.knownHosts}`, '-o', `StrictHostKeyChecking=${opts.hostKeys ?? 'no'}`, '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10',
    '-i', opts.key, '-p', String(t.port), `${opts.user ?? t.user}@${t.host}`, command,
  ]);
}

/** Like sshInstance, but the command must succeed: its standard output. */
export async function sshOutput(serverUrl: string, id: string, command: string, opts: SshOptions): Promise<string> {
  const r = await sshInstance(serverUrl, id, command, opts);
  assert.equal(r.code, 0, `${command}: ${r.stderr}`);
  return r.stdout;
}
