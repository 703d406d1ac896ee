import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Routes are thin (docs/conventions.md): the database is reached through domain functions.
const dir = path.resolve(import.meta.dirname, "../../app/routes");

describe("thin routes", () => {
  it("no route module imports the Prisma client", () => {
    const offenders = fs
      .readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) => /from\s+["'](~\/domains\/db\.server|@prisma\/client)["']/.test(fs.readFileSync(path.join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
