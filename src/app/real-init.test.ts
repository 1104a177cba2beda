// `--real-init` / EC2LITE_REAL_INIT: reaper (the default) or systemd; anything else is refused at start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { realInitFrom } from './config.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

describe('the PID 1 of real instances', () => {
  it('reaper by default, systemd on request, anything else refused with the name of the setting', () => {
    assert.equal(realInitFrom(undefined, 'X'), 'reaper');
    assert.equal(realInitFrom('', 'X'), 'reaper');
    assert.equal(realInitFrom('reaper', 'X'), 'reaper');
    assert.equal(realInitFrom('systemd', 'X'), 'systemd');
    assert.throws(() => realInitFrom('upstart', 'EC2LITE_REAL_INIT'), /EC2LITE_REAL_INIT must be reaper or systemd, not 'upstart'/);
  });

  it('ec2lite serve refuses an unknown --real-init before starting, and documents it', () => {
    const r = spawnSync(process.execPath, [MAIN, 'serve', '--port', '0', '--ephemeral', '--real-init', 'sysv'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--real-init must be reaper or systemd, not 'sysv'/);
    const help = spawnSync(process.execPath, [MAIN, 'serve', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /--real-init reaper\|systemd/);
  });
});
