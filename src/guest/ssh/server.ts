// A simulated guest served over SSH on its own, without the runtime: the engine-neutral transport
// (compute/ssh/transport.ts) with this engine's session handlers (sessions.ts) and the guest's
// authorized_keys. The runtime does the same through the engine port; guest tests use this.
import type { SshLimits } from '../../compute/ssh/limits.js';
import { type SshTransport, type SshTransportOptions, generateHostKey, parseAuthorizedKeys, startSshTransport } from '../../compute/ssh/transport.js';
import type { InstanceGuest } from '../instance-guest.js';
import { simulatedSessions } from './sessions.js';
export { EXEC_STDIN_HIGH_WATER } from './sessions.js';

export { generateHostKey, parseAuthorizedKeys };
export type SshEndpoint = SshTransport;

/** What the endpoint needs from the guest (InstanceGuest implements it). */
export type SshGuest = Pick<InstanceGuest, 'authorizedKeys' | 'openSession' | 'vfs' | 'users' | 'persist' | 'onStop' | 'system'>;

export interface SshEndpointOptions {
  host: string;
  /** 0 for an ephemeral port. */
  port: number;
  /** Persistent host key: an OpenSSH (or PEM) private key, see generateHostKey(). */
  hostKey: string;
  guest: SshGuest;
  /** Fall back to an ephemeral port when `port` cannot be bound (e.g. 22 without privileges). */
  fallbackToEphemeral?: boolean;
  /** Authentication failures per connection before it is closed (sshd's MaxAuthTries). */
  maxAuthTries?: number;
  limits?: Partial<SshLimits>;
  /** Keys that open an account besides its authorized_keys (EC2 Instance Connect's), as the transport takes them. */
  extraAuthorizedKeys?: SshTransportOptions['extraAuthorizedKeys'];
  log?: (line: string) => void;
}

export async function startSshEndpoint(o: SshEndpointOptions): Promise<SshEndpoint> {
  const guest = o.guest;
  const endpoint = await startSshTransport({
    host: o.host,
    port: o.port,
    fallbackToEphemeral: o.fallbackToEphemeral,
    hostKey: o.hostKey,
    limits: { ...o.limits, ...(o.maxAuthTries === undefined ? {} : { maxAuthTries: o.maxAuthTries }) },
    log: o.log,
    extraAuthorizedKeys: o.extraAuthorizedKeys,
    guest: {
      authorizedKeys: async (user) => {
        const r = guest.authorizedKeys(user);
        return r.ok ? { ok: true, lines: r.lines } : r;
      },
      sessions: simulatedSessions(guest, o.log),
    },
  });
  guest.onStop(() => endpoint.close());
  return endpoint;
}
