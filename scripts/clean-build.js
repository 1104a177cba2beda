#!/usr/bin/env node
// `prepack`: the tarball gets a build of src/ alone, made from scratch, so no test output and
// nothing left over from a deleted source can ship (package.json `files` picks dist/src).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const build = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
process.exit(build.status ?? 1);
