// The server most launch tests start: short instance and storage delays, its SDK client and the
// catalogue's image ids; the keyed variant adds one key pair whose private key sits in a 0600 file
// of a temp dir (OpenSSH wants a file), removed again by close().
import { writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from './server.js';
import { images, type Images } from './instances.js';
import { tempDir, type TempDir } from './tools.js';

export interface LaunchServer {
  server: TestServer;
  client: EC2Client;
  img: Images;
}

export async function startLaunchServer(): Promise<LaunchServer> {
  const server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20 });
  const client = server.client();
  return { server, client, img: await images(client) };
}

export interface KeyedLaunchServer extends LaunchServer {
  /** Path of the key pair's private key (mode 0600). */
  pem: string;
  /** The temp dir holding the key and anything else the test writes (known_hosts). */
  dir: TempDir;
  /** Closes the server and removes the temp dir. */
  close(): Promise<void>;
}

export async function startKeyedLaunchServer(keyName: string, tempPrefix: string): Promise<KeyedLaunchServer> {
  const dir = tempDir(tempPrefix);
  let base: LaunchServer | undefined;
  let pem: string;
  try {
    base = await startLaunchServer();
    const key = await base.client.send(new CreateKeyPairCommand({ KeyName: keyName }));
    pem = dir.file(`${keyName}.pem`);
    await writeFile(pem, key.KeyMaterial!, { mode: 0o600 });
  } catch (e) {
    await base?.server.close();
    dir.cleanup();
    throw e;
  }
  return {
    ...base,
    pem,
    dir,
    close: async () => {
      await base!.server.close();
      dir.cleanup();
    },
  };
}
