// Requests a web browser sends on behalf of some page (issue 19): the API must not be callable by
// a page of another site (a form POST, an <img src="/?Action=…">), and no page may reach the server
// through a DNS name an attacker controls that resolves to it (DNS rebinding). The console is a
// page of this server, so its calls are same-origin and pass.
//
// Only browser requests are judged: the AWS CLI, the SDKs, Terraform and curl send neither Origin
// nor Sec-Fetch-* and a non-browser User-Agent, and they reach the server by whatever name the user
// chose (a container name, say), which no page can make them use.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export interface BrowserGuardOptions {
  /** Host names (without port) the server is reached by besides IP literals and localhost. */
  readonly allowedHosts: readonly string[];
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Whether a browser sent the request: it names its origin, its fetch metadata or itself. */
export function fromBrowser(headers: IncomingHttpHeaders): boolean {
  return headers.origin !== undefined || headers['sec-fetch-site'] !== undefined || /^Mozilla\//.test(first(headers['user-agent']) ?? '');
}

/** The host name of a Host header ('[::1]:8773' → '::1', 'Example:80' → 'example'). */
export function hostOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** Whether a Host names this server: an address, localhost, this machine's name or a configured one. */
export function servedHost(host: string | undefined, o: BrowserGuardOptions): boolean {
  if (!host) return false;
  const name = hostOf(host).replace(/\.$/, '');
  if (isIP(name)) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === hostname().toLowerCase()) return true;
  return o.allowedHosts.some((a) => a.toLowerCase() === name);
}

export type Refusal = { status: 403 | 421; reason: string };

/**
 * Why a browser request must be refused, or undefined. `api`: the request is an API call (state
 * changing or reading account data); other routes (the console's files) only need the Host check.
 */
export function judgeBrowserRequest(headers: IncomingHttpHeaders, api: boolean, o: BrowserGuardOptions): Refusal | undefined {
  if (!fromBrowser(headers)) return undefined;
  const host = first(headers.host);
  // DNS rebinding: the page's origin is the attacker's name, resolved to this server
  if (!servedHost(host, o)) return { status: 421, reason: `host '${host ?? ''}' is not a name this server answers to (set EC2LITE_ALLOWED_HOSTS)` };
  if (!api) return undefined;
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  const origin = first(headers.origin);
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    return { status: 403, reason: `cross-origin request refused (Origin: ${origin})` };
  }
  return undefined;
}
