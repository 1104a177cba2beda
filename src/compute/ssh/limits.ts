// sshd's connection limits for instance endpoints (issue 19), with OpenSSH's defaults where it
// has one. Each instance's endpoint applies them to its own connections.

export interface MaxStartups {
  /** Unauthenticated connections at which random early drop starts. */
  start: number;
  /** Drop probability (percent) at `start`, rising linearly to 100 at `full`. */
  rate: number;
  /** Unauthenticated connections at which every new connection is dropped. */
  full: number;
}

export interface SshLimits {
  /** LoginGraceTime: an unauthenticated connection is closed after this long (0 = never). */
  loginGraceTimeMs: number;
  /** MaxStartups start:rate:full. */
  maxStartups: MaxStartups;
  /** MaxAuthTries: failed authentication attempts before the connection is closed. */
  maxAuthTries: number;
  /** MaxSessions: open channels (sessions, forwardings) per connection. */
  maxSessionsPerConnection: number;
  /** Open sessions over all connections to one instance (no sshd equivalent: one host's share). */
  maxSessionsPerInstance: number;
}

export const DEFAULT_SSH_LIMITS: SshLimits = {
  loginGraceTimeMs: 120_000,
  maxStartups: { start: 10, rate: 30, full: 100 },
  maxAuthTries: 6,
  maxSessionsPerConnection: 10,
  maxSessionsPerInstance: 64,
};

/** Parses sshd's `start:rate:full` (or a single number: start = full, rate 100). */
export function parseMaxStartups(text: string): MaxStartups {
  const parts = text.split(':').map((p) => Number(p));
  if (parts.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`MaxStartups ${text}: expected start:rate:full`);
  if (parts.length === 1) return { start: parts[0]!, rate: 100, full: parts[0]! };
  if (parts.length !== 3) throw new Error(`MaxStartups ${text}: expected start:rate:full`);
  const [start, rate, full] = parts as [number, number, number];
  if (rate > 100 || full < start) throw new Error(`MaxStartups ${text}: rate is at most 100 and full at least start`);
  return { start, rate, full };
}

/** Whether a new connection is dropped, with `unauthenticated` connections already open (sshd's drop_connection). */
export function dropByMaxStartups(unauthenticated: number, m: MaxStartups, random: () => number): boolean {
  if (unauthenticated < m.start) return false;
  if (unauthenticated >= m.full) return true;
  const p = m.rate + ((100 - m.rate) * (unauthenticated - m.start)) / (m.full - m.start);
  return random() * 100 < p;
}
