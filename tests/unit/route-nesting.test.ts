// Flat routes nest by name: `a.b.tsx` renders inside `a.tsx` when that file exists. A page
// route under a parent page without an <Outlet /> is never shown — its URL renders the parent
// (this hid the identity page under /school/learners). Resource routes (no default export)
// are fine there; a page needs its parent to have an Outlet, or `parent_.` in its name.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

interface RouteNode {
  file: string;
  children?: RouteNode[];
}

it("no page route is hidden under a parent page that has no <Outlet />", () => {
  const bin = path.resolve("node_modules/.bin/remix");
  const routes = JSON.parse(execFileSync(bin, ["routes", "--json"], { encoding: "utf8" })) as RouteNode[];
  const source = (file: string) => fs.readFileSync(path.join("app", file), "utf8");
  const hidden: string[] = [];
  let checked = 0;
  const walk = (list: RouteNode[], parent: RouteNode | null) => {
    for (const r of list) {
      checked++;
      if (parent && parent.file !== "root.tsx") {
        const parentSrc = source(parent.file);
        const isPage = /export default/.test(source(r.file));
        if (isPage && /export default/.test(parentSrc) && !/<Outlet/.test(parentSrc)) hidden.push(`${r.file} under ${parent.file}`);
      }
      if (r.children) walk(r.children, r);
    }
  };
  walk(routes, null);
  expect(checked).toBeGreaterThan(50);
  expect(hidden).toEqual([]);
}, 60_000);
