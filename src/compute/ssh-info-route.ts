// GET /_ec2lite/instances/<instance-id>/ssh → {"instanceId","host","port","user"} for a running
// instance: how `ec2lite ssh` learns the port when it is not 22. Nothing secret is served (the
// address is in DescribeInstances anyway); 404 {"error":…} when the instance is not running here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstanceRuntime } from './instance-runtime.js';

export const SSH_INFO_PATH = /^\/_ec2lite\/instances\/(i-[0-9a-f]{8,17})\/ssh$/;

/** Answers the request if it is for this route; returns false to let the API handle it. */
export function handleSshInfo(runtime: InstanceRuntime, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0]!;
  const m = SSH_INFO_PATH.exec(path);
  if (!m) return false;
  const info = runtime.sshInfo(m[1]!);
  const body = JSON.stringify(info ? { instanceId: m[1], ...info } : { error: `instance ${m[1]} is not running` });
  res.writeHead(info ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
