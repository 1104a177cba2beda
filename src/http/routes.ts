// The non-API routes (health, SSH endpoint info, the console's files), in one table. The EC2 /
// Auto Scaling Query API stays the default: a POST, or a GET carrying `Action=`, never reaches
// this table, so no route can shadow an API call (`GET /?Action=DescribeKeyPairs` stays the API).
import type { IncomingMessage } from 'node:http';

export interface RouteRequest {
  /** 'GET' or 'HEAD' (a HEAD is answered by the GET route, without the body). */
  readonly method: string;
  readonly path: string;
  /** The capture groups of a RegExp path, in order (empty for an exact path). */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

export interface RouteAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export type RouteHandler = (req: RouteRequest) => RouteAnswer | Promise<RouteAnswer>;

/** A path is exact ('/_ec2lite/health') or a RegExp anchored by its author (captures → params). */
export type RoutePath = string | RegExp;

interface Route {
  readonly path: RoutePath;
  readonly handle: RouteHandler;
}

export class RouteTable {
  private readonly routes: Route[] = [];

  /** Registers a GET route (HEAD is served by it too). The first route registered that matches wins. */
  get(path: RoutePath, handle: RouteHandler): this {
    this.routes.push({ path, handle });
    return this;
  }

  /** The route for a request, or undefined when the API should have it. */
  match(method: string, path: string, query: URLSearchParams): { handle: RouteHandler; params: string[] } | undefined {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (query.has('Action')) return undefined;
    for (const route of this.routes) {
      if (typeof route.path === 'string') {
        if (route.path === path) return { handle: route.handle, params: [] };
        continue;
      }
      const m = route.path.exec(path);
      if (m) return { handle: route.handle, params: m.slice(1).map((p) => p ?? '') };
    }
    return undefined;
  }
}

/** A JSON answer (the internal routes speak JSON; errors as {"error": "..."}). */
export function json(status: number, value: unknown): RouteAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
