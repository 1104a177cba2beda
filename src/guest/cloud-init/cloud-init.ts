// cloud-init, run by the guest at every boot, as the real one is: bootcmd every time; user data
// consumed, and the per-instance modules (write_files, hostname, users, keys, runcmd, user
// scripts) run once per instance, each behind its semaphore on the root volume, so a stopped and
// started instance never runs them again. Output goes to /var/log/cloud-init-output.log, the
// data under /var/lib/cloud/instances/<id>/ (and /var/lib/cloud/instance, the same files).
import { stringify } from 'yaml';
import { type CloudConfig, mergeCloudConfigs, parseCloudConfig } from './cloud-config.js';
import type { CloudInitHost } from './host.js';
import { HANDLED_KEYS, type ModuleContext, bootcmd, mkdirs, runcmd, scriptsUser, setHostname, usersGroups, writeFiles } from './modules.js';
import { type UserDataPart, splitUserData } from './user-data.js';

export const OUTPUT_LOG = '/var/log/cloud-init-output.log';
export const LOG = '/var/log/cloud-init.log';
export const RESULT = '/var/lib/cloud/data/result.json';
export const STATUS = '/var/lib/cloud/data/status.json';

export interface CloudInitOutcome {
  /** Whether per-instance work ran on this boot (the first boot of this instance id). */
  firstBoot: boolean;
  errors: string[];
}

export async function runCloudInit(host: CloudInitHost, userData: Buffer | undefined): Promise<CloudInitOutcome> {
  const files = host.files;
  const started = host.now();
  const perInstance = `/var/lib/cloud/instances/${host.instanceId}`;
  // /var/lib/cloud/instance is a symlink to perInstance on Linux; the guest filesystem has no
  // symlinks, so both hold the same files (written together below).
  const instanceDirs = [perInstance, '/var/lib/cloud/instance'];
  for (const d of [...instanceDirs.flatMap((d) => [`${d}/sem`, `${d}/scripts`, `${d}/boothooks`]), '/var/lib/cloud/data', '/var/log']) mkdirs(host, d);
  if (files.exists(RESULT)) files.unlink(RESULT);
  writeJson(host, STATUS, { v1: { datasource: null, stage: 'init', errors: [] } });

  const errors: string[] = [];
  const outFile = (data: string | Buffer) => files.writeFile(OUTPUT_LOG, data, { append: true, mode: 0o644 });
  const logFile = (line: string) => files.writeFile(LOG, line, { append: true, mode: 0o644 });
  const stamp = () => new Date(host.now()).toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, ',$1');
  const log: ModuleContext['log'] = (level, module, message) => {
    const line = `${stamp()} - ${module}[${level}]: ${message}\n`;
    logFile(line);
    if (level === 'WARNING') outFile(line);
  };
  const up = () => ((host.now() - started) / 1000 + 5).toFixed(2);
  const banner = (stage: string) => outFile(`Cloud-init v. ${host.version} running '${stage}' at ${rfc2822(host.now())}. Up ${up()} seconds.\n`);
  const writeBoth = (name: string, data: string | Buffer, mode = 0o600) => {
    for (const d of instanceDirs) {
      files.writeFile(`${d}/${name}`, data, { mode });
      files.chmod(`${d}/${name}`, mode);
    }
  };
  // As cloud-init's Semaphores: the file is written when the module starts, so a module that
  // failed, or was cut short by a stop, never runs again for this instance.
  const once = async (sem: string, fn: () => boolean | Promise<boolean>, name: string) => {
    const path = `${perInstance}/sem/${sem}`;
    if (files.exists(path)) {
      logFile(`${stamp()} - helpers.py[INFO]: ${sem} already ran (freq=once-per-instance)\n`);
      return;
    }
    writeBoth(`sem/${sem}`, `${new Date(host.now()).toISOString()}\n`, 0o644);
    let ok = false;
    try {
      ok = await fn();
    } catch (e) {
      log('WARNING', 'util.py', `Running module ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!ok) errors.push(`running module ${name}`);
  };

  banner('init');
  const firstBoot = !files.exists(`${perInstance}/sem/consume_data`);
  files.writeFile('/var/lib/cloud/data/instance-id', `${host.instanceId}\n`);
  let config: CloudConfig = {};
  if (firstBoot) {
    const raw = userData ?? Buffer.alloc(0);
    writeBoth('user-data.txt', raw);
    let parts: UserDataPart[] = [];
    try {
      parts = splitUserData(raw);
    } catch (e) {
      errors.push('consuming user data');
      log('WARNING', 'util.py', `Failed to decompress/split user data: ${e instanceof Error ? e.message : String(e)}`);
    }
    const configs: CloudConfig[] = [];
    let n = 0;
    for (const part of parts) {
      n++;
      const name = part.filename?.replace(/[^A-Za-z0-9._-]/g, '_') || `part-${String(n).padStart(3, '0')}`;
      if (part.kind === 'shellscript') {
        writeBoth(`scripts/${name}`, part.body, 0o700);
      } else if (part.kind === 'boothook') {
        // boot_hook.py: the #cloud-boothook line is dropped; the rest runs at every boot
        const text = part.body.toString('utf8').replace(/\r\n/g, '\n').replace(/^\s*#cloud-boothook[^\n]*\n?/, '').trimStart();
        writeBoth(`boothooks/${name}`, text, 0o700);
      } else if (part.kind === 'cloud-config') {
        try {
          configs.push(parseCloudConfig(part.body.toString('utf8')));
        } catch (e) {
          errors.push('parsing cloud-config');
          log('WARNING', 'util.py', `Failed loading yaml blob. ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
      } else {
        log('WARNING', '__init__.py', `Unhandled ${part.contentType} user data part ${name}: ec2lite runs shell scripts, boothooks and cloud-config only`);
      }
    }
    config = mergeCloudConfigs(configs);
    if (configs.length) writeBoth('cloud-config.txt', `#cloud-config\n${stringify(config)}`);
    writeBoth('sem/consume_data', `${new Date(host.now()).toISOString()}\n`, 0o644);
  } else if (files.exists(`${perInstance}/cloud-config.txt`)) {
    try {
      config = parseCloudConfig(files.readFile(`${perInstance}/cloud-config.txt`).toString('utf8'));
    } catch {
      config = {};
    }
  }

  const m: ModuleContext = { host, config, instanceDir: '/var/lib/cloud/instance', log, out: { write: outFile } };
  if (firstBoot) {
    for (const key of Object.keys(config)) {
      if (!HANDLED_KEYS.has(key)) log('WARNING', 'ec2lite', `cloud-config module '${key}' is not supported by this emulator; skipped`);
    }
  }
  // init stage: boothooks (every boot, INSTANCE_ID set), then cloud_init_modules
  if (!(await bootHooks(host, perInstance, log, outFile))) errors.push('running boothooks');
  if (!(await bootcmd(m).catch(() => false))) errors.push('running module bootcmd');
  await once('config_write_files', () => writeFiles(m, false), 'write_files');
  await once('config_set_hostname', () => setHostname(m), 'set_hostname');
  await once('config_users_groups', () => usersGroups(m), 'users_groups');
  // config stage (cloud_config_modules)
  banner('modules:config');
  await once('config_runcmd', () => runcmd(m), 'runcmd');
  // final stage (cloud_final_modules)
  banner('modules:final');
  await once('config_scripts_user', () => scriptsUser(m), 'scripts_user');
  await once('config_write_files_deferred', () => writeFiles(m, true), 'write_files_deferred');
  const finished = rfc2822(host.now());
  const finalMessage =
    typeof config['final_message'] === 'string'
      ? config['final_message'].replace(/\$UPTIME/g, up()).replace(/\$TIMESTAMP/g, finished).replace(/\$DATASOURCE/g, 'DataSourceEc2').replace(/\$VERSION/g, host.version)
      : `Cloud-init v. ${host.version} finished at ${finished}. Datasource DataSourceEc2.  Up ${up()} seconds`;
  outFile(`${finalMessage}\n`);
  writeBoth('boot-finished', `${up()} - ${finished} - v. ${host.version}\n`, 0o644);
  writeJson(host, STATUS, { v1: { datasource: 'DataSourceEc2', stage: null, errors } });
  writeJson(host, RESULT, { v1: { datasource: 'DataSourceEc2', errors } });
  return { firstBoot, errors };
}

/**
 * A boot whose scripts are not run again (the instance's status check failed: a step of its boot
 * ended its host each time, guest/worker-engine.ts): cloud-init reports the error and stops, the
 * way a boot that never finishes leaves `cloud-init status` at error on the console.
 */
export function impairedBoot(host: CloudInitHost, since: string): CloudInitOutcome {
  for (const d of ['/var/lib/cloud/data', '/var/log']) mkdirs(host, d);
  const error = `a step of this boot ended the instance's host each time it ran (status check failed since ${since}); boot scripts not run`;
  host.files.writeFile(OUTPUT_LOG, `Cloud-init v. ${host.version} running 'init' at ${rfc2822(host.now())}. ${error}\n`, { append: true, mode: 0o644 });
  writeJson(host, STATUS, { v1: { datasource: 'DataSourceEc2', stage: null, errors: [error] } });
  writeJson(host, RESULT, { v1: { datasource: 'DataSourceEc2', errors: [error] } });
  return { firstBoot: false, errors: [error] };
}

/** Every boot: each saved #cloud-boothook part, in name order, as root with INSTANCE_ID. */
async function bootHooks(host: CloudInitHost, perInstance: string, log: ModuleContext['log'], out: (d: string | Buffer) => void): Promise<boolean> {
  const dir = `${perInstance}/boothooks`;
  let ok = true;
  for (const name of host.files.exists(dir) ? host.files.readdir(dir).sort() : []) {
    const status = await host.runFile(`${dir}/${name}`, { write: out }, { INSTANCE_ID: host.instanceId });
    if (status !== 0) {
      ok = false;
      log('WARNING', 'subp.py', `Failed running ${dir}/${name} [${status}]`);
    }
  }
  return ok;
}

function writeJson(host: CloudInitHost, path: string, value: unknown): void {
  host.files.writeFile(path, `${JSON.stringify(value, null, 1)}\n`, { mode: 0o644 });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Wed, 15 Jan 2025 10:20:30 +0000`, as cloud-init stamps its stages. */
export function rfc2822(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
