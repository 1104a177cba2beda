// Two TCP/unix streams joined both ways with half-close kept (a client's EOF reaches the far end
// while the far end's answer still flows back), ended together on error. Shared by the VPC relay
// and the engine's dial path.
import type { Socket } from 'node:net';

export function splice(a: Socket, b: Socket): void {
  const fail = () => {
    // An abrupt end on one side is an abrupt end (RST) on the other, as a router in between shows it.
    if (!a.destroyed) a.resetAndDestroy();
    if (!b.destroyed) b.resetAndDestroy();
  };
  a.on('error', fail);
  b.on('error', fail);
  a.on('close', () => b.destroySoon());
  b.on('close', () => a.destroySoon());
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}

/** Reads one header line (at most `max` bytes) off a stream, leaving the rest unread. */
export function readLine(s: Socket, max = 256): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (line: string | undefined) => {
      s.removeListener('data', onData);
      s.removeListener('end', onEnd);
      s.removeListener('error', onEnd);
      s.removeListener('close', onEnd);
      resolve(line);
    };
    const onEnd = () => done(undefined);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        if (buf.length > max) done(undefined);
        return;
      }
      s.pause();
      const rest = buf.subarray(nl + 1);
      if (rest.length) s.unshift(rest);
      done(buf.subarray(0, nl).toString());
    };
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onEnd);
    s.once('close', onEnd);
  });
}
