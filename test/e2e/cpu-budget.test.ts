// The CPU budget of a guest command line charges every step (issue 19), through OpenSSH: a loop
// whose steps are each one long synchronous step (a `sort -f` of a large file: one JavaScript sort,
// far longer than the 70 ms past which a step used to go uncharged) is killed once it has used
// its budget, as bash under `ulimit -t` is (SIGXCPU: status 152, "CPU time limit exceeded").
// Before, such a loop ran on: issue 19 measured 24 s of CPU in a minute, never killed. The budget
// is the server's EC2LITE_GUEST_CPU_MS (guestCpuMs), small here; its default is 20 s.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';
import { requireTools } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the CPU budget test');

let server: TestServer;
let client: EC2Client;
let probe: SshProbe;
let id: string;

describe('the CPU budget of a guest command line', { timeout: 600_000 }, () => {
  before(async () => {
    server = await startTestServer({ guestCpuMs: 2000 });
    client = server.client();
    probe = await sshProbe(client);
    const r = await client.send(new RunInstancesCommand({ ImageId: (await images(client)).al2023, MinCount: 1, MaxCount: 1, KeyName: probe.keyName }));
    id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
  });
  after(async () => {
    await server?.close();
    probe?.cleanup();
  });

  it('kills a loop of long synchronous steps once it has used its budget (status 152)', async () => {
    // its own command line (the budget is per command line): 200,000 lines
    assert.equal((await probe.output(server.url, id, 'seq 1 200000 > /tmp/n; wc -l < /tmp/n')).trim(), '200000');
    const r = await probe.run(server.url, id, 'n=0; while :; do sort -f /tmp/n > /dev/null; n=$((n+1)); echo "sorted $n"; done');
    assert.equal(r.code, 152, `the loop was not stopped: ${r.stdout.slice(-200)} ${r.stderr}`);
    assert.match(r.stderr, /CPU time limit exceeded/);
    // the guest is fine afterwards: the next command line has a budget of its own
    assert.equal((await probe.output(server.url, id, 'echo next')).trim(), 'next');
  });
});
