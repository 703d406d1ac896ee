// The browser build goes out precompressed (scripts/compress-assets.mjs + express-static-gzip):
// brotli to a browser that accepts it, gzip to one that accepts only gzip, the plain file
// otherwise, each decoding to the same bytes, cached as immutable and varying by encoding.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { pathToFileURL } from "node:url";
import { startServer, type RunningServer } from "../../server/app";
import { compressAssets } from "../../scripts/compress-assets.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
let server: RunningServer;
let asset: string;

beforeAll(async () => {
  const build: ServerBuild = await import(pathToFileURL(path.join(ROOT, "build/index.js")).href);
  // The biggest first-load script: the shared chunk with React and Remix.
  const urls = [build.assets.entry.module, ...build.assets.entry.imports];
  asset = urls.sort((a, b) => fs.statSync(path.join(ROOT, "public", b)).size - fs.statSync(path.join(ROOT, "public", a)).size)[0];
  await compressAssets();
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** The raw bytes on the wire (fetch would decode them). */
function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
  });
}

describe("the browser build", () => {
  it("is sent as brotli, gzip or plain by what the browser accepts, always the same script", async () => {
    const original = fs.readFileSync(path.join(ROOT, "public", asset));
    expect(original.length).toBeGreaterThan(100_000);

    const br = await get(`${server.url}${asset}`, "gzip, deflate, br, zstd");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(original)).toBe(true);
    expect(br.body.length).toBeLessThan(original.length * 0.35);
    expect(br.headers["cache-control"]).toContain("immutable");
    expect(br.headers["vary"]).toMatch(/accept-encoding/i);
    expect(br.headers["content-type"]).toMatch(/javascript/);

    const gz = await get(`${server.url}${asset}`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).equals(original)).toBe(true);
    // Precompressed brotli 11 beats gzip on the same file.
    expect(br.body.length).toBeLessThan(gz.body.length);

    const plain = await get(`${server.url}${asset}`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it("a missing file is a 404, not a 5xx; a path outside the build is not served", async () => {
    expect((await get(`${server.url}/build/_shared/no-such-chunk.js`, "br")).status).toBe(404);
    expect((await get(`${server.url}/build/..%2f..%2fpackage.json`, "br")).status).toBeGreaterThanOrEqual(400);
    expect((await get(`${server.url}/build/..%2f..%2fpackage.json`, "br")).status).toBeLessThan(500);
  });
});
