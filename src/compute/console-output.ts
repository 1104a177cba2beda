// What GetConsoleOutput shows: the console an instance's boot posted. ec2lite has no serial console
// to capture, so the lines that matter to users are made from the instance's own facts, as the
// image's boot would print them:
// - Linux: cloud-init's stage lines and the SSH host key blocks that cloud-init's keys-to-console
//   module writes, so `aws ec2 get-console-output` verifies a host key before the first login (AWS's
//   "verify the instance fingerprint" step; Jenkins' EC2 plugin reads the keys block the same way).
//   The key is the one the instance's SSH endpoint presents.
// - Windows: EC2Launch's "Windows is Ready to use" once the instance has booted (the password delay),
//   the line Packer and other tools wait for.
// Nothing is posted before the instance first boots (AWS omits `output`). While the instance runs on
// this node, the console is its guest's own cloud-init output log (user data's output and errors,
// as on EC2's console), with the host key blocks added where cloud-init could not print them.
import { createHash } from 'node:crypto';
import type { InstanceRecord } from '../store/port.js';
import { hostPublicKeyLine } from './host-key.js';

export interface ConsoleOutput {
  /** When the output was last posted. */
  timestamp: Date;
  text: string;
}

/** AWS keeps the most recent 64 KB. */
const MAX_BYTES = 64 * 1024;

/** The version the catalogue's Linux images report (the simulated guest's cloud-init says the same). */
const CLOUD_INIT_VERSION = '22.2.2';

export function consoleOutput(r: InstanceRecord, platform: 'linux' | 'windows', now: Date, windowsReadyMs: number, guestLog?: string): ConsoleOutput | undefined {
  if (r.state === 'pending') return undefined;
  const booted = r.launchTime;
  const at = (s: number) => new Date(booted.getTime() + s * 1000);
  if (platform === 'windows') {
    const ready = at(windowsReadyMs / 1000);
    const lines = [`${windowsStamp(at(1))}: Windows sysprep configuration complete.`];
    if (now >= ready) lines.push(`${windowsStamp(ready)}: Windows is Ready to use`);
    return { timestamp: now >= ready ? ready : at(1), text: tail(lines.join('\r\n') + '\r\n') };
  }
  const host = `ip-${r.privateIp.replace(/\./g, '-')}`;
  const keyLine = hostPublicKeyLine(r.hostKeySeed, `root@${host}`);
  const blob = Buffer.from(keyLine.split(' ')[1]!, 'base64');
  const fingerprint = `256 SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')} root@${host} (ED25519)`;
  const syslog = (line: string) => `<14>${syslogStamp(at(9))} cloud-init: ${line}`;
  const fingerprintBlock = [
    syslog('#############################################################'),
    syslog('-----BEGIN SSH HOST KEY FINGERPRINTS-----'),
    syslog(fingerprint),
    syslog('-----END SSH HOST KEY FINGERPRINTS-----'),
    syslog('#############################################################'),
  ];
  const keysBlock = ['-----BEGIN SSH HOST KEY KEYS-----', keyLine, '-----END SSH HOST KEY KEYS-----'];
  if (guestLog) {
    // A container has no syslog socket: cloud-init's logger calls (the fingerprints) fail there,
    // where EC2's console shows them. Their failures go; the blocks it could not print are added
    // where its keys-to-console module prints them (before the keys, or before its closing line).
    const lines = guestLog.replace(/\n$/, '').split('\n').filter((l) => !/^logger: socket \/dev\/log: /.test(l));
    const hasFingerprints = lines.includes('-----BEGIN SSH HOST KEY FINGERPRINTS-----') || lines.some((l) => l.endsWith(' cloud-init: -----BEGIN SSH HOST KEY FINGERPRINTS-----'));
    const keysAt = lines.indexOf('-----BEGIN SSH HOST KEY KEYS-----');
    const missing = [...(hasFingerprints ? [] : fingerprintBlock), ...(keysAt >= 0 ? [] : keysBlock)];
    if (missing.length) {
      let at = keysAt;
      if (at < 0) {
        at = lines.length;
        while (at > 0 && !/ finished at /.test(lines[at - 1]!)) at--;
        at = at > 0 ? at - 1 : lines.length;
      }
      lines.splice(at, 0, ...missing);
    }
    return { timestamp: now, text: tail(`${lines.join('\n')}\n`) };
  }
  const text = [
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'init-local' at ${cloudInitStamp(at(2))}. Up 2.10 seconds.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'init' at ${cloudInitStamp(at(3))}. Up 3.04 seconds.`,
    `ci-info: ++++++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++++++`,
    `ci-info: | eth0 | True | ${r.privateIp} | ${r.instanceId} |`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'modules:config' at ${cloudInitStamp(at(7))}. Up 7.20 seconds.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'modules:final' at ${cloudInitStamp(at(8))}. Up 8.05 seconds.`,
    ...fingerprintBlock,
    ...keysBlock,
    `Cloud-init v. ${CLOUD_INIT_VERSION} finished at ${cloudInitStamp(at(9))}. Datasource DataSourceEc2.  Up 9.12 seconds`,
    '',
  ].join('\n');
  return { timestamp: at(9), text: tail(text) };
}

function tail(text: string): string {
  const b = Buffer.from(text, 'utf8');
  return b.length <= MAX_BYTES ? text : b.subarray(b.length - MAX_BYTES).toString('utf8');
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** cloud-init's own stamp: `Mon, 07 Dec 2026 12:00:02 +0000`. */
function cloudInitStamp(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** syslog's: `Dec  7 12:00:09`. */
function syslogStamp(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** EC2Launch's: `2026/12/07 12:00:05Z`. */
function windowsStamp(d: Date): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}
