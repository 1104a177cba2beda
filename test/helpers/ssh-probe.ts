// Engine-neutral probes into an instance for tests that used to reach into the simulated guest
// through the runtime: a key pair of the test's own (ssh-keygen, imported) and the real OpenSSH
// client, so the same assertion holds on any guest engine. Before its first login to an instance
// the probe opens port 22 on the instance's security groups, as a user would (issue 20).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ImportKeyPairCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { allowSsh } from './network.js';
import { sshInstance } from './ssh.js';
import { runAsync, tempDir, type ProcessResult } from './tools.js';

export interface SshProbe {
  /** The key pair to launch with (KeyName). */
  readonly keyName: string;
  /** The private key file (mode 0600, removed by cleanup). */
  readonly keyPath: string;
  /** Runs a command on the instance as its default user (or `user`). */
  run(serverUrl: string, instanceId: string, command: string, user?: string): Promise<ProcessResult>;
  /** Like run, but the command must succeed: its standard output. */
  output(serverUrl: string, instanceId: string, command: string, user?: string): Promise<string>;
  cleanup(): void;
}

/** Imports a fresh ED25519 key pair named `keyName` into the client's account and region. */
export async function sshProbe(client: EC2Client, keyName = 'probe'): Promise<SshProbe> {
  const dir = tempDir('ec2lite-probe-');
  const key = dir.file('id');
  const gen = await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', keyName, '-f', key]);
  assert.equal(gen.code, 0, gen.stderr);
  await client.send(new ImportKeyPairCommand({ KeyName: keyName, PublicKeyMaterial: await readFile(`${key}.pub`) }));
  const opened = new Set<string>();
  const run = async (url: string, id: string, command: string, user?: string) => {
    if (!opened.has(id)) {
      await allowSsh(client, id);
      opened.add(id);
    }
    return sshInstance(url, id, command, { key, knownHosts: dir.file('known_hosts'), user });
  };
  return {
    keyName,
    keyPath: key,
    run,
    output: async (url, id, command, user) => {
      const r = await run(url, id, command, user);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      return r.stdout;
    },
    cleanup: () => dir.cleanup(),
  };
}
