// A private spurd for a self-contained browser test file: a fresh database in a
// temporary folder with the given hunts imported, a free port on 127.0.0.1, extra
// environment. The test files that need their own clock or settings use it; the
// shared server of app.test.mjs is started by run.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

export const BUILD = process.env.SPUR_BUILD || 'build';
export const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// Returns {base, db, tmp, spur(...args) → stdout, stop()}. stop() ends spurd
// (SIGTERM) and removes the folder. files: {name: Buffer}, written into the folder
// before the hunts are imported, for the pictures a hunt file names (relative to it).
export async function startSpurd({ hunts, env = {}, name = 'test', files = {} }) {
  const tmp = mkdtempSync(join(tmpdir(), `spur-${name}-`));
  const db = join(tmp, 'spur.db');
  const spur = (...args) => execFileSync(join(BUILD, 'spur'), args, { encoding: 'utf8' });
  for (const [f, bytes] of Object.entries(files)) {
    if (f.split('/').some((part) => part === '..' || part === '') || isAbsolute(f)) throw new Error('file name ' + f);
    mkdirSync(dirname(join(tmp, f)), { recursive: true });
    writeFileSync(join(tmp, f), bytes);
  }
  for (const h of hunts) {
    writeFileSync(join(tmp, h.id + '.json'), JSON.stringify(h));
    spur('import', join(tmp, h.id + '.json'), '--db', db);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(join(BUILD, 'spurd'), ['--db', db, '--listen', `127.0.0.1:${port}`, '--assets', 'assets', '--base-url', base],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', () => {});
  for (let i = 0; ; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not up yet */ }
    if (i === 100) throw new Error('spurd did not come up');
    await sleep(100);
  }
  return {
    base, db, tmp, spur,
    async stop() {
      if (proc.exitCode === null) { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
