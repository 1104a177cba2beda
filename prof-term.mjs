import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startApp } from './dist/src/app/app.js';
import { defaultConfig } from './dist/src/app/config.js';
const app = await startApp({ ...defaultConfig(), port: 0, ephemeral: true, quiet: true });
const url = app.url + '/';
async function call(params) {
  const t = performance.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString() });
  const body = await r.text();
  return { ms: performance.now() - t, body };
}
const imgs = await call({ Action: 'DescribeImages', 'Owner.1': 'amazon' });
const ami = /<imageId>(ami-[0-9a-f]+)<\/imageId>/.exec(imgs.body)[1];
const s = new Session(); s.connect();
await s.post('Profiler.enable');
const out = [];
for (let round = 0; round < 6; round++) {
  const run = await call({ Action: 'RunInstances', ImageId: ami, MinCount: '100', MaxCount: '100' });
  const ids = [...run.body.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1]);
  const p = { Action: 'TerminateInstances' };
  ids.forEach((id, i) => (p[`InstanceId.${i + 1}`] = id));
  if (round === 5) await s.post('Profiler.start');
  const term = await call(p);
  if (round === 5) writeFileSync('/tmp/prof/term-only.cpuprofile', JSON.stringify((await s.post('Profiler.stop')).profile));
  out.push([Math.round(run.ms), Math.round(term.ms)]);
  await new Promise((r) => setTimeout(r, 300));
}
console.log(JSON.stringify(out));
await app.close();
