// Writes <file>.br (brotli, quality 11) and <file>.gz (gzip, level 9) beside every script and
// stylesheet of the Remix browser build (public/build), once per build: the server sends them
// to browsers that accept them (express-static-gzip), instead of compressing 260 KB of
// framework code on every first load at a low level. Run by scripts/setup.mjs after
// `remix build`, and by `npm run build`. Without these files the server still compresses on
// the fly (compression middleware).
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const ROOT = path.resolve(import.meta.dirname, "..");
const DIR = path.join(ROOT, "public/build");
const WORTH = /\.(js|css|svg|json|txt)$/;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (WORTH.test(entry.name)) yield full;
  }
}

export async function compressAssets(dir = DIR) {
  if (!fs.existsSync(dir)) return { files: 0, before: 0, after: 0 };
  let count = 0;
  let before = 0;
  let after = 0;
  for (const file of files(dir)) {
    const body = fs.readFileSync(file);
    if (body.length < 1024) continue;
    const [br, gz] = await Promise.all([
      brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzip(body, { level: 9 }),
    ]);
    // Mode 644 like the build's own files (the server may run as another user than the build).
    if (br.length < body.length * 0.9) fs.writeFileSync(`${file}.br`, br, { mode: 0o644 });
    if (gz.length < body.length * 0.9) fs.writeFileSync(`${file}.gz`, gz, { mode: 0o644 });
    count += 1;
    before += body.length;
    after += Math.min(br.length, body.length);
  }
  return { files: count, before, after };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const r = await compressAssets();
  console.log(`compressed ${r.files} build files: ${(r.before / 1024).toFixed(0)} KB → ${(r.after / 1024).toFixed(0)} KB brotli, in ${Date.now() - t0} ms`);
}
