// curl inside the guest. The only reachable server is the instance metadata
// service (169.254.169.254 / [fd00:ec2::254]), answered in-process; every
// other host fails to resolve or connect, so nothing leaves the sandbox.
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import type { Command } from '../types.js';
import { getopt, withUsage } from './util.js';

const IMDS_HOSTS = new Set(['169.254.169.254', '[fd00:ec2::254]']);

export const curl: Command = (ctx) =>
  withUsage(
    ctx,
    async () => {
      const o = getopt(ctx.args, {
        bool: 'sSfiIvLkg46',
        value: 'XHwodmAeu',
        long: {
          silent: 's',
          'show-error': 'S',
          fail: 'f',
          include: 'i',
          head: 'I',
          verbose: 'v',
          location: 'L',
          insecure: 'k',
          'request=': 'X',
          'header=': 'H',
          'write-out=': 'w',
          'output=': 'o',
          'data=': 'd',
          'data-raw=': 'd',
          'data-binary=': 'd',
          'max-time=': 'm',
          'connect-timeout=': 'T',
          'retry=': 'R',
          'user-agent=': 'A',
          'noproxy=': 'N',
          globoff: 'g',
        },
      });
      const f = o.flags;
      const silent = f.has('s');
      const showErr = !silent || f.has('S');
      const fail = (code: number, msg: string) => {
        if (showErr) ctx.io.err.write(`curl: (${code}) ${msg}\n`);
        return code;
      };
      const raw = o.operands[0];
      if (raw === undefined) {
        ctx.io.err.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
        return 2;
      }
      const m = /^(?:([a-z]+):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^#]*)/i.exec(raw);
      if (!m) return fail(3, 'URL using bad/illegal format or missing URL');
      const scheme = (m[1] ?? 'http').toLowerCase();
      const host = m[2]!.toLowerCase();
      const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
      const path = m[4] || '/';
      if (scheme !== 'http' && scheme !== 'https') return fail(1, `Protocol "${scheme}" not supported`);
      if (!IMDS_HOSTS.has(host) && !/^(localhost|127\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+)$/.test(host)) {
        return fail(6, `Could not resolve host: ${host}`);
      }
      if (!IMDS_HOSTS.has(host) || port !== 80 || scheme !== 'http') {
        return fail(7, `Failed to connect to ${host.replace(/^\[|\]$/g, '')} port ${port} after 0 ms: Couldn't connect to server`);
      }
      const headers: Record<string, string> = {};
      for (const h of o.multi.get('H') ?? []) {
        const i = h.indexOf(':');
        if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
      const head = f.has('I');
      const method = typeof f.get('X') === 'string' ? (f.get('X') as string) : head ? 'HEAD' : f.has('d') ? 'POST' : 'GET';
      if (f.has('v')) {
        ctx.io.err.write(`*   Trying ${host}:${port}...\n* Connected to ${host} (${host}) port ${port}\n> ${method} ${path} HTTP/1.1\n> Host: ${host}\n> User-Agent: curl/8.5.0\n> Accept: */*\n`);
        for (const [k, v] of Object.entries(headers)) ctx.io.err.write(`> ${k}: ${v}\n`);
        ctx.io.err.write('>\n');
      }
      const res = await ctx.sys.imds.handleAsync({ method, path, headers });
      const body = head || method === 'HEAD' ? '' : res.body;
      const date = new Date(ctx.sys.now()).toUTCString();
      const allHeaders: [string, string][] = [
        ...res.headers,
        ...(res.status === 200 ? ([['Accept-Ranges', 'none']] as [string, string][]) : []),
        ['Content-Length', String(Buffer.byteLength(res.body))],
        ['Date', date],
        ['Server', 'EC2ws'],
        ['Connection', 'close'],
      ];
      const headerBlock = `HTTP/1.1 ${res.status} ${res.statusText}\r\n` + allHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
      if (f.has('v')) ctx.io.err.write(headerBlock.split('\r\n').filter(Boolean).map((l) => `< ${l}\n`).join('') + '<\n');
      let status = 0;
      if (f.has('f') && res.status >= 400) {
        status = fail(22, `The requested URL returned error: ${res.status}`);
      } else {
        const output = Buffer.concat([Buffer.from(f.has('i') || head ? headerBlock : ''), Buffer.from(body)]);
        const out = f.get('o');
        if (typeof out === 'string' && out !== '-') {
          try {
            const p = resolvePath(ctx.proc.cwd, out);
            if (p !== '/dev/null') ctx.sys.vfs.writeFile(ctx.proc.cred, p, output, { mode: 0o666 & ~ctx.proc.umask });
          } catch (e) {
            if (!isFsError(e)) throw e;
            return fail(23, `Failure writing output to destination`);
          }
        } else ctx.io.out.write(output);
      }
      const w = f.get('w');
      if (typeof w === 'string') {
        const text = w
          .replace(/%\{(http_code|response_code)\}/g, String(res.status).padStart(3, '0'))
          .replace(/%\{size_download\}/g, String(Buffer.byteLength(body)))
          .replace(/%\{content_type\}/g, res.headers.find(([k]) => k === 'Content-Type')?.[1] ?? '')
          .replace(/%\{url_effective\}/g, raw)
          .replace(/%\{method\}/g, method)
          .replace(/\\n/g, '\n')
          .replace(/\\t/g, '\t')
          .replace(/\\r/g, '\r');
        ctx.io.out.write(text);
      }
      return status;
    },
    2,
  );
