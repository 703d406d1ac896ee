// What the browser downloads on first load of a page: the route's module plus its imports, per
// the build's asset manifest. Validation schemas (and zod, ~14 KB compressed) stay on the
// server: a page that only validates in its loader or action must not ship them, and the
// learner's pages carry neither the live-room client nor the chart library. (esbuild's code
// splitting keeps a bare import of a shared chunk when a module is live for any other page, so
// one stray top-level `z.object(...)` or a constant read from a validation module in a
// component brings zod back to every page that imports that module; and package.json says
// "sideEffects": the app's modules have none, so a validation module imported only for a
// loader is dropped from the browser build at all. See decision 026.)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";

const ROOT = path.resolve(import.meta.dirname, "../..");
const build: ServerBuild = await import(pathToFileURL(path.join(ROOT, "build/index.js")).href);

function firstLoadFiles(routeId: string): string[] {
  const { assets } = build;
  const ids: string[] = [];
  for (let id: string | undefined = routeId; id; id = assets.routes[id]?.parentId) ids.push(id);
  const urls = new Set<string>([assets.entry.module, ...assets.entry.imports]);
  for (const id of ids) {
    const r = assets.routes[id];
    expect(r, id).toBeDefined();
    urls.add(r.module);
    for (const i of r.imports ?? []) urls.add(i);
  }
  return [...urls].map((u) => path.join(ROOT, "public", u));
}

const contains = (routeId: string, needle: RegExp) => firstLoadFiles(routeId).filter((f) => needle.test(fs.readFileSync(f, "utf8")));

describe("browser bundles", () => {
  const pages = Object.keys(build.assets.routes).filter((id) => id !== "root");

  it("no page ships zod or the validation schemas", () => {
    expect(pages.length).toBeGreaterThan(50);
    const withZod = pages.filter((id) => contains(id, /ZodError/).length > 0);
    expect(withZod).toEqual([]);
  });

  it("the learner's pages carry neither the live-room client nor the chart library", () => {
    for (const id of ["routes/courses.$slug.lessons.$lessonId", "routes/courses.$slug._index", "routes/courses._index", "routes/_index", "routes/dashboard", "routes/login"]) {
      expect(contains(id, /mediasoup|RTCPeerConnection/), id).toEqual([]);
      expect(contains(id, /Chart\.register|chart\.js/), id).toEqual([]);
    }
  });

  it("the patterns do find what they look for: the live-room client and the charts are lazy chunks of the build, zod is in the server build", () => {
    const chunks = fs.readdirSync(path.join(ROOT, "public/build/_shared")).map((f) => fs.readFileSync(path.join(ROOT, "public/build/_shared", f), "utf8"));
    expect(chunks.some((c) => /mediasoup|RTCPeerConnection/.test(c))).toBe(true);
    expect(chunks.some((c) => /Chart\.register|chart\.js/.test(c))).toBe(true);
    expect(/ZodError/.test(fs.readFileSync(path.join(ROOT, "build/index.js"), "utf8"))).toBe(true);
  });
});
