// Worker thread body for rsa-threads.ts: makes RSA private keys (PKCS#1 DER) on request. Keys leave
// only through the message port, in memory; the worker's copy is zeroed once posted.

import { parentPort } from 'node:worker_threads';
import { generateRsaPkcs1 } from './rsa-components.js';

export interface RsaJob {
  id: number;
  bits: number;
}
export type RsaJobResult = { id: number; der: Uint8Array } | { id: number; error: string };

parentPort!.on('message', ({ id, bits }: RsaJob) => {
  let reply: RsaJobResult;
  let der: Buffer | undefined;
  try {
    der = generateRsaPkcs1(bits);
    reply = { id, der };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply); // a structured-clone copy
  der?.fill(0);
});
