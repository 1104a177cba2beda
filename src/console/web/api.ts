// The console's API client: the public EC2 Query API (and Auto Scaling's), POSTed to this same
// origin and signed with SigV4 like any SDK. Credentials: in strict mode the ones the user signs
// in with, kept in this tab's sessionStorage only; in open mode a fixed placeholder key (the
// server does not verify signatures then, and the key id chooses the default account).
import { presignQuery, signRequest, type Credentials } from './sigv4.js';

export const EC2_VERSION = '2016-11-15';
export const AUTOSCALING_VERSION = '2011-01-01';
/** Open mode: an access key id that is not 12 digits maps to the default account 000000000000. */
export const OPEN_MODE_CREDENTIALS: Credentials = { accessKeyId: 'EC2LITECONSOLE', secretAccessKey: 'open-mode' };

const CREDENTIALS_KEY = 'ec2lite.credentials';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Codes meaning "these credentials (or none) are not accepted": the page then asks to sign in. */
export const AUTH_ERROR_CODES = new Set(['AuthFailure', 'MissingParameter', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'MissingAuthenticationToken']);

export function savedCredentials(): Credentials | undefined {
  const raw = sessionStorage.getItem(CREDENTIALS_KEY);
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Credentials;
    return typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

export function saveCredentials(c: Credentials | undefined): void {
  if (c) sessionStorage.setItem(CREDENTIALS_KEY, JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }));
  else sessionStorage.removeItem(CREDENTIALS_KEY);
}

export type Params = Record<string, string | number | boolean | undefined>;

export class ApiClient {
  constructor(
    readonly region: string,
    readonly credentials: Credentials,
  ) {}

  ec2(action: string, params: Params = {}): Promise<Element> {
    return this.call('ec2', action, EC2_VERSION, params);
  }

  /** A short-lived presigned query for a GET on this server (the terminal's WebSocket). */
  presign(service: string, path: string, params: Record<string, string>, expiresS = 60): Promise<string> {
    return presignQuery({ host: location.host, path, params, region: this.region, service, credentials: this.credentials, expiresS });
  }

  autoscaling(action: string, params: Params = {}): Promise<Element> {
    return this.call('autoscaling', action, AUTOSCALING_VERSION, params);
  }

  private async call(service: string, action: string, version: string, params: Params): Promise<Element> {
    const form = new URLSearchParams({ Action: action, Version: version });
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.append(k, String(v));
    // Encoded as the SDKs do (%20, not +), so the body hashes the same on both sides.
    const body = form.toString().replace(/\+/g, '%20');
    const headers = await signRequest({
      method: 'POST',
      host: location.host,
      path: '/',
      body,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      region: this.region,
      service,
      credentials: this.credentials,
    });
    let res: Response;
    try {
      res = await fetch('/', { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
    } catch {
      throw new ApiError('NetworkError', 'The server could not be reached.', 0);
    }
    const text = await res.text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const root = doc.documentElement;
    if (!res.ok || root.nodeName === 'Response' || root.nodeName === 'ErrorResponse') {
      const err = root.getElementsByTagName('Error')[0];
      const code = err ? childText(err, 'Code') : '';
      const message = err ? childText(err, 'Message') : '';
      throw new ApiError(code || `HTTP${res.status}`, message || text.slice(0, 200), res.status);
    }
    return root;
  }
}

// ---- XML reading helpers (EC2 answers are namespaced; matching on local names is enough) ----

export function child(el: Element | undefined, name: string): Element | undefined {
  if (!el) return undefined;
  for (const c of Array.from(el.children)) if (c.localName === name) return c;
  return undefined;
}

export function childText(el: Element | undefined, name: string): string {
  return child(el, name)?.textContent ?? '';
}

/** The <item> children of el's child `name` (EC2's list shape). */
export function items(el: Element | undefined, name: string): Element[] {
  const list = child(el, name);
  return list ? Array.from(list.children).filter((c) => c.localName === 'item' || c.localName === 'member') : [];
}

/** Text at a path of child names. */
export function path(el: Element | undefined, ...names: string[]): string {
  let cur = el;
  for (const n of names.slice(0, -1)) cur = child(cur, n);
  return childText(cur, names[names.length - 1]!);
}

export interface Tag {
  key: string;
  value: string;
}

export function tagsOf(el: Element | undefined): Tag[] {
  return items(el, 'tagSet').map((t) => ({ key: childText(t, 'key'), value: childText(t, 'value') }));
}

/** Base64 of the UTF-8 bytes of `text` (a Blob parameter: PublicKeyMaterial, UserData). */
export function utf8Base64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Flattened Query parameters for TagSpecification.N (one resource type). */
export function tagSpecParams(n: number, resourceType: string, tags: Tag[]): Params {
  const p: Params = {};
  const real = tags.filter((t) => t.key !== '');
  if (!real.length) return p;
  p[`TagSpecification.${n}.ResourceType`] = resourceType;
  real.forEach((t, i) => {
    p[`TagSpecification.${n}.Tag.${i + 1}.Key`] = t.key;
    p[`TagSpecification.${n}.Tag.${i + 1}.Value`] = t.value;
  });
  return p;
}
