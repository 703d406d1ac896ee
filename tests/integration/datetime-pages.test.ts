/**
 * Pages format dates in the page's language (cookie / Accept-Language, not the language stored
 * at sign-up) and the viewer's time zone, on the REAL server. Before the one date/time module,
 * /live and /sessions/:id used the stored locale (an English page showed Chinese dates) and
 * the live room's chat used the browser's clock zone.
 *
 * Run: npx vitest run tests/integration/datetime-pages.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { localeCookie } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { cookieFor, makeSession, makeUser, startLiveServer, stopLiveServer, type Harness } from "./live-helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startLiveServer();
}, 60_000);
afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

const ZONE = "America/New_York";

async function englishPage(userId: string, path: string) {
  const cookie = `${await cookieFor(userId)}; ${(await localeCookie.serialize("en")).split(";")[0]}`;
  const res = await fetch(`${h.url}${path}`, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
}

/** A value from the page's streamed loader data (turbo-stream's flat form: `{"_k": v}` indexes keys and values). */
function loaderValue(html: string, key: string): unknown {
  const payload = /streamController\.enqueue\((".*?")\);<\/script>/s.exec(html)?.[1];
  if (!payload) throw new Error("no loader data in the page");
  const flat = JSON.parse(JSON.parse(payload).split("\n")[0]) as unknown[];
  const resolve = (i: number): unknown => {
    const v = flat[i];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, j]) => [flat[Number(k.slice(1))] as string, resolve(j as number)]));
    }
    return v;
  };
  const keyIndex = flat.lastIndexOf(key);
  for (const v of flat) {
    if (v && typeof v === "object" && !Array.isArray(v) && `_${keyIndex}` in v) return resolve((v as Record<string, number>)[`_${keyIndex}`]);
  }
  return undefined;
}

describe("dates follow the page's language and the user's zone", () => {
  it("/live and /sessions/:id in English show English dates in the user's zone", async () => {
    const host = await makeUser("expert");
    await prisma.user.update({ where: { id: host.id }, data: { locale: "zh-CN", timeZone: ZONE } });
    const startsAt = new Date("2031-03-04T15:00:00Z");
    const session = await makeSession(host.id, { startsAt });
    const expected = formatDateTime(startsAt, { locale: "en", timeZone: ZONE });
    expect(expected).toBe("Tue, Mar 4, 2031, 10:00");

    const list = await englishPage(host.id, "/live");
    expect(list.status).toBe(200);
    expect(list.html).toContain(expected);
    expect(list.html).not.toContain("2031年");

    const details = await englishPage(host.id, `/sessions/${session.id}`);
    expect(details.status).toBe(200);
    expect(details.html).toContain(expected);
    expect(details.html).not.toContain("2031年");
  });

  it("the live room gets the user's zone and the page's language for its chat times", async () => {
    const host = await makeUser("expert");
    await prisma.user.update({ where: { id: host.id }, data: { locale: "zh-CN", timeZone: ZONE } });
    const session = await makeSession(host.id);
    const room = await englishPage(host.id, `/live/${session.id}`);
    expect(room.status).toBe(200);
    expect(loaderValue(room.html, "dates")).toEqual({ locale: "en", timeZone: ZONE });
  });

  it("a stranger still sees neither the session nor its date", async () => {
    const host = await makeUser("expert");
    const stranger = await makeUser("learner");
    const startsAt = new Date("2031-05-06T15:00:00Z");
    const session = await makeSession(host.id, { startsAt });
    for (const path of [`/sessions/${session.id}`, `/live/${session.id}`]) {
      const page = await englishPage(stranger.id, path);
      expect(page.status).toBe(403);
      expect(page.html).not.toContain("May 6, 2031");
    }
  });
});
