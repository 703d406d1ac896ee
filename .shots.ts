import { chromium } from "@playwright/test";
import { startServer } from "./server/app";
import { prisma } from "~/domains/db.server";
import { seedScheduling } from "~/domains/scheduling/seed.server";
import { bookForSelf } from "~/domains/scheduling/booking.server";

const server = await startServer({ port: 3200, host: "127.0.0.1", log: () => {} });
const base = "http://127.0.0.1:3200";
await seedScheduling(prisma);
const expert = await prisma.user.findUniqueOrThrow({ where: { email: "expert@skillrelay.test" } });
const learner = await prisma.user.findUniqueOrThrow({ where: { email: "learner@skillrelay.test" } });
const types = await prisma.sessionType.findMany({ where: { expertId: expert.id } });
const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + 2 * 86400000));
let bookingId = "";
try {
  const r = await bookForSelf(learner, { kind: "slot", sessionTypeId: types.find((t) => t.durationMinutes === 60)!.id, startsAt: new Date(`${day}T02:00:00Z`) });
  bookingId = r.bookingId;
  const g = await bookForSelf(await prisma.user.findUniqueOrThrow({ where: { email: "admin@skillrelay.test" } }), { kind: "slot", sessionTypeId: types.find((t) => t.kind === "group")!.id, startsAt: new Date(`${day}T06:00:00Z`) });
} catch (e) { console.log("booking", e); bookingId = (await prisma.booking.findFirstOrThrow({ where: { learnerId: learner.id } })).id; }

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function shots(email: string, lang: string, pages: [string, string][], mobile = false) {
  const ctx = await browser.newContext({ locale: lang, extraHTTPHeaders: { "Accept-Language": lang }, viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 } });
  const res = await ctx.request.post(`${base}/login`, { form: { login: email, email, password: "skillrelay-demo", redirectTo: "/dashboard" }, headers: { Origin: base }, maxRedirects: 0 });
  console.log("login", email, res.status());
  const page = await ctx.newPage();
  for (const [name, path] of pages) {
    await page.goto(base + path);
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  }
  await ctx.close();
}
await shots("expert@skillrelay.test", "en-US", [["avail-en", "/schedule/availability"], ["cal-en", `/schedule/calendar?date=${day}`], ["hub-expert-en", "/schedule"]]);
await shots("learner@skillrelay.test", "zh-CN", [["hub-zh", "/schedule"], ["expert-zh", `/schedule/experts/${expert.id}`], ["booking-zh", `/schedule/bookings/${bookingId}?new=1`], ["notif-zh", "/notifications"]]);
await shots("learner@skillrelay.test", "en-US", [["expert-mobile", `/schedule/experts/${expert.id}?type=${types.find((t) => t.kind === "group")!.id}`], ["booking-mobile", `/schedule/bookings/${bookingId}`]], true);
await shots("school@skillrelay.test", "en-US", [["cohort-en", "/schedule/cohort"]]);
await browser.close();
await server.close();
process.exit(0);
