// Starts a real ec2lite server on a random port for a test file, with an SDK client and a raw
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// HTTP helper for requests no SDK would send.
import { EC2Client } from '@aws-sdk/client-ec2';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { defaultConfig, type ServerConfig } from '../../src/app/config.js';

export interface TestServer {
  app: RunningApp;
  url: string;
  client(opts?: { region?: string; accessKeyId?: string }): EC2Client;
  raw(params: Record<string, string> | string, init?: { method?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const app = await startApp({ ...defaultConfig(), port: 0, ephemeral: true, quiet: true, rsaPoolSize: 2, ...overrides });
  const clients: EC2Client[] = [];
  return {
    app,
    url: app.url,
    client({ region = 'us-east-1', accessKeyId = 'AKIDEXAMPLE' } = {}) {
      const c = new EC2Client({
        endpoint: app.url,
        region,
        credentials: { accessKeyId, secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      clients.push(c);
      return c;
    },
    async raw(params, init = {}) {
      const body = typeof params === 'string' ? params : new URLSearchParams(params).toString();
      const method = init.method ?? 'POST';
      const res = await fetch(method === 'GET' ? `${app.url}/?${body}` : app.url, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...init.headers },
        body: method === 'GET' ? undefined : body,
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    async close() {
      for (const c of clients) c.destroy();
      await app.close();
    },
  };
}

/** Runs `fn` and returns the AWS error it throws (fails the test if it does not throw). */
export async function awsError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

export const V = '2016-11-15';
