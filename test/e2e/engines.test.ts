// The e2e suites as a loop over the guest engines this build has (src/app/engines.ts). Servers the
// suites start take their engines from EC2LITE_ENGINES (defaultConfig), so a suite runs on an
// engine unchanged. `npm test` runs every suite on the default engine directly; for each other
// engine this runs the whole e2e folder again with EC2LITE_ENGINES set to it. One engine today.
// Real instances (crun) are chosen per AMI, not by EC2LITE_ENGINES: the suites of the seed's flows
// declare a real variant themselves (test/helpers/engine-variants.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINE_NAMES } from '../../src/app/engines.js';
import { defaultConfig } from '../../src/app/config.js';
import { runAsync } from '../helpers/tools.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.test.js') && f !== 'engines.test.js')
  .map((f) => `${here}${f}`);
const defaultEngine = defaultConfig().engines[0];

describe('e2e suites on every guest engine', () => {
  it('finds the suites and the default engine among those this build has', () => {
    assert.ok(suites.length >= 8, `only ${suites.length} e2e suites found`);
    assert.ok(defaultEngine && ENGINE_NAMES.includes(defaultEngine), `default engine ${defaultEngine} in ${ENGINE_NAMES.join(', ')}`);
  });

  for (const engine of ENGINE_NAMES) {
    if (engine === defaultEngine) continue; // the suites themselves run on it in this run
    it(`passes every e2e suite on the ${engine} engine`, { timeout: 30 * 60_000 }, async () => {
      const r = await runAsync(process.execPath, ['--test', '--test-concurrency=1', ...suites], { env: { ...process.env, EC2LITE_ENGINES: engine } });
      assert.equal(r.code, 0, `${engine}: ${r.stdout.split('\n').filter((l) => /^not ok|# fail/.test(l.trim())).join('\n')}`);
    });
  }
});
