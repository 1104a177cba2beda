// Chooses and builds the authenticator from config. Open mode trusts any well-formed signature,
// so it is the default only when nobody else can reach the server.
import { isIP } from 'node:net';
import { CredentialsFile, credentialsPath, permissionWarning } from '../auth/credentials-file.js';
import { authenticate, type AuthMode } from '../protocol/authenticate.js';
import type { Authenticator } from '../protocol/identity.js';
import type { ServerConfig } from './config.js';

/** True only for addresses that cannot be reached from another machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export interface AuthSetup {
  mode: AuthMode;
  authenticate: Authenticator;
  /** Things the operator should hear about at startup (never secrets). */
  notices: string[];
}

export function setUpAuth(config: Pick<ServerConfig, 'host' | 'auth' | 'credentialsFile' | 'allowOpenOnNetwork'>): AuthSetup {
  const loopback = isLoopback(config.host);
  const mode: AuthMode = config.auth ?? (loopback ? 'open' : 'strict');
  if (mode === 'open') {
    if (!loopback && !config.allowOpenOnNetwork) {
      throw new Error(
        `refusing to serve --auth open on ${config.host}: anyone who can reach it could act as any account. ` +
          `Use --auth strict with --credentials FILE, or pass --allow-open-on-network.`,
      );
    }
    return { mode, authenticate: (req, service) => authenticate(req, { mode, now: new Date(), service }), notices: ['auth open: signatures are not verified'] };
  }
  const path = credentialsPath(config.credentialsFile);
  const credentials = new CredentialsFile(path);
  const notices = [`auth strict: ${credentials.size} access key(s) from ${path}`];
  const warning = permissionWarning(path);
  if (warning) notices.push(`warning: ${warning}`);
  return { mode, authenticate: (req, service) => authenticate(req, { mode, credentials, now: new Date(), service }), notices };
}
