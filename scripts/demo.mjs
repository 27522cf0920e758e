// `npm run demo`: generates a 50 MiB XLIFF 1.2 file in the system's temp folder (once: it is
// reused) and pseudo-translates it with the CLI, progress bar on the terminal, then counts it.
/* global process, console, URL */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const input = join(tmpdir(), 'xliff-stream-demo-50M.xlf');
const output = join(tmpdir(), 'xliff-stream-demo-50M.pseudo.xlf');

if (existsSync(input)) console.error(`Reusing ${input}`);
else {
  console.error(`Generating ${input} (50 MiB, XLIFF 1.2)...`);
  const partial = `${input}.partial`;
  execFileSync(process.execPath, [join(root, 'scripts/gen-xliff.cjs'), '--format', '1.2', '--size', '50M', '--out', partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(partial, input);
}

const cli = (...args) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
console.error(`\nxliff-stream pseudo ${input} ${output}`);
cli('pseudo', input, output);
console.error(`\nxliff-stream stats ${output}`);
cli('stats', output);
