// Scheduling in a real browser: an expert opens weekly hours, a learner on Xinjiang time
// books one and sees it in local time, the expert sees it on the calendar, the learner
// cancels; a school admin books a group session for a cohort; racing requests over HTTP.
import { expect, request as playwrightRequest, test, type Browser } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { addHoursEveryDay, e2eDatabaseUrl, loginAs, uniqueEmail, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
test.describe.configure({ mode: "serial" });

const PASSWORD = "scheduling-e2e-pass";
let db: PrismaClient;

/** A Beijing-time calendar date `days` from now (the expert's and the school's zone). */
function beijingDate(days: number) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + days * 86_400_000));
}
const DAY = beijingDate(8);

async function makeUser(name: string, role: "learner" | "expert" | "school_admin") {
  return db.user.create({
    data: { name, email: uniqueEmail(role.replace("_", "")), role, passwordHash: await hashPassword(PASSWORD), locale: "en", timeZone: "Asia/Shanghai" },
  });
}

async function browserAs(browser: Browser, baseURL: string, email: string) {
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  await loginAs(context, baseURL, email, PASSWORD);
  return { context, page: await context.newPage() };
}

let expert: { id: string; email: string | null; name: string };
let learner: { id: string; email: string | null; name: string };
let bookingUrl = "";

test.beforeAll(async () => {
  db = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const stamp = Date.now() % 100000;
  expert = await makeUser(`Expert Wang ${stamp}`, "expert");
  learner = await makeUser(`Learner Aygul ${stamp}`, "learner");
});

test.afterAll(async () => {
  await db?.$disconnect();
});

test("an expert sets weekly availability and a session type", async ({ browser, baseURL }) => {
  const { context, page } = await browserAs(browser, baseURL!, expert.email!);
  await page.goto("/schedule/availability");
  await expect(page.getByRole("heading", { name: "My availability" })).toBeVisible();
  await expect(page.getByLabel("Your working time zone")).toHaveValue("Asia/Shanghai");

  // Every day 09:00–17:00 (no day is ticked in advance).
  await addHoursEveryDay(page, "09:00", "17:00");
  for (const weekday of [0, 1, 2, 3, 4, 5, 6]) {
    await expect(page.getByTestId(`weekday-${weekday}`)).toContainText("09:00–17:00");
  }

  // An end before the start is refused with a message at the field.
  await page.getByLabel("Monday", { exact: true }).check();
  await page.getByLabel("From", { exact: true }).fill("18:00");
  await page.getByLabel("To", { exact: true }).fill("08:00");
  await page.getByRole("button", { name: "Add hours" }).click();
  await expect(page.getByText("The end must be after the start")).toBeVisible();

  await page.getByLabel("Title", { exact: true }).fill("Welding 1:1");
  await page.getByLabel("Kind", { exact: true }).selectOption("one_to_one");
  await page.getByLabel("Length", { exact: true }).selectOption("60");
  await page.getByRole("button", { name: "Add session type" }).click();
  await expect(page.getByTestId("session-types")).toContainText("Welding 1:1 · 1:1 · 60 min");
  await context.close();
});

test("a learner on Xinjiang time books a slot and sees it in local time", async ({ browser, baseURL }) => {
  const { context, page } = await browserAs(browser, baseURL!, learner.email!);
  await page.goto("/schedule");
  await waitForHydration(page);
  await page.getByRole("link", { name: expert.name }).click();
  await expect(page.getByRole("heading", { name: expert.name })).toBeVisible();

  await page.getByLabel("Your time zone").selectOption("Asia/Urumqi");
  await page.getByRole("button", { name: "Use this time zone" }).click();
  await expect(page.getByTestId("viewer-zone")).toContainText("UTC+6");

  await page.goto(`/schedule/experts/${expert.id}?from=${DAY}`);
  const day = page.getByTestId(`slots-${DAY}`);
  // The expert's 09:00–17:00 Beijing time is 07:00–15:00 on Xinjiang time.
  await expect(day.getByRole("radio").first()).toHaveAccessibleName("07:00");
  await day.getByRole("radio", { name: "08:00" }).check();
  await page.getByRole("button", { name: "Book selected time" }).click();

  await expect(page).toHaveURL(/\/schedule\/bookings\/[a-z0-9]+\?new=1$/);
  await expect(page.getByText("You are booked!")).toBeVisible();
  await expect(page.getByTestId("booking-when")).toContainText("08:00–09:00 (UTC+6)");
  await expect(page.getByText(/For the expert: .*10:00–11:00 \(UTC\+8\)/)).toBeVisible();
  await expect(page.getByTestId("booking-status")).toHaveText("Confirmed");
  bookingUrl = new URL(page.url()).pathname;

  // The .ics download is a real calendar file.
  const ics = await context.request.get(`${baseURL}${bookingUrl}/ics`);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  expect(await ics.text()).toContain("SUMMARY:Welding 1:1");
  await context.close();
});

test("the expert sees the booking on their calendar and gets a notification", async ({ browser, baseURL }) => {
  const { context, page } = await browserAs(browser, baseURL!, expert.email!);
  await page.goto(`/schedule/calendar?date=${DAY}`);
  const day = page.getByTestId(`day-${DAY}`);
  await expect(day.getByTestId("calendar-session")).toContainText("10:00–11:00");
  await expect(day.getByTestId("calendar-session")).toContainText("Welding 1:1");
  await expect(day.getByTestId("calendar-session")).toContainText(learner.name);

  await expect(page.getByTestId("unread-count")).toBeVisible();
  await page.goto("/notifications");
  await expect(page.getByTestId("notifications")).toContainText(`${learner.name} booked "Welding 1:1"`);
  await context.close();
});

test("the learner cancels; the time is free again and the expert is told", async ({ browser, baseURL }) => {
  const { context, page } = await browserAs(browser, baseURL!, learner.email!);
  await page.goto(bookingUrl);
  await waitForHydration(page);
  await page.getByText("Cancel booking").click();
  await page.getByRole("button", { name: "Yes, cancel" }).click();
  await expect(page.getByText("The booking is cancelled.")).toBeVisible();
  await expect(page.getByTestId("booking-status")).toHaveText("Cancelled");

  await page.goto(`/schedule/experts/${expert.id}?from=${DAY}`);
  await expect(page.getByTestId(`slots-${DAY}`).getByRole("radio", { name: "08:00" })).toBeVisible();
  await context.close();

  const expertNotes = await db.notification.findMany({ where: { userId: expert.id }, select: { kind: true } });
  expect(expertNotes.map((n) => n.kind).sort()).toEqual(["cancelledByLearner", "newBooking"]);
});

test("racing requests for one slot: exactly one booking, the others hear 'just taken'", async ({ baseURL }) => {
  const type = await db.sessionType.findFirstOrThrow({ where: { expertId: expert.id } });
  const start = new Date(`${DAY}T05:00:00Z`).toISOString(); // 13:00 Beijing
  const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => makeUser(`Racer ${i}`, "learner")));
  const clients = await Promise.all(
    racers.map(async (r) => {
      const ctx = await playwrightRequest.newContext({ baseURL });
      const login = await ctx.post("/login", { form: { login: r.email!, email: r.email!, password: PASSWORD }, headers: { Origin: baseURL! }, maxRedirects: 0 });
      expect(login.status()).toBe(302);
      return ctx;
    }),
  );
  const responses = await Promise.all(
    clients.map((ctx) =>
      ctx.post(`/schedule/experts/${expert.id}`, {
        form: { intent: "book", type: type.id, choice: `slot:${start}` },
        headers: { Origin: baseURL! },
        maxRedirects: 0,
      }),
    ),
  );
  const statuses = responses.map((r) => r.status()).sort();
  expect(statuses).toEqual([302, 409, 409, 409, 409, 409]);
  const loser = responses.find((r) => r.status() === 409)!;
  expect(await loser.text()).toContain("that time was just taken");
  expect(await db.liveSession.count({ where: { hostId: expert.id, status: "scheduled", startsAt: new Date(start) } })).toBe(1);
  await Promise.all(clients.map((c) => c.dispose()));
});

test("a school admin books a group session for a cohort, within its capacity", async ({ browser, baseURL }) => {
  const stamp = Date.now() % 100000;
  const coach = await makeUser(`Coach Li ${stamp}`, "expert");
  await db.expertProfile.create({
    data: {
      userId: coach.id,
      timeZone: "Asia/Shanghai",
      minNoticeMinutes: 60,
      rules: { create: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 })) },
      sessionTypes: { create: { title: `CNC group ${stamp}`, kind: "group", durationMinutes: 90, capacity: 4 } },
    },
  });
  const admin = await makeUser(`Teacher Zhang ${stamp}`, "school_admin");
  const pupils = await Promise.all(Array.from({ length: 5 }, (_, i) => makeUser(`Pupil ${i + 1} ${stamp}`, "learner")));
  const org = await db.organization.create({ data: { name: `Kashgar Technical College ${stamp}`, verifiedAt: new Date(), memberships: { create: { userId: admin.id, role: "admin" } } } });
  await db.cohort.create({ data: { orgId: org.id, name: "CNC class 1", members: { create: pupils.map((p) => ({ userId: p.id })) } } });

  const { context, page } = await browserAs(browser, baseURL!, admin.email!);
  await page.goto("/schedule");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Book for a cohort" }).click();
  await expect(page.getByRole("heading", { name: "Book a group session for a cohort" })).toBeVisible();
  await expect(page.getByLabel("Cohort", { exact: true })).toContainText("CNC class 1 (5 learners)");
  await page.getByLabel("Expert", { exact: true }).selectOption({ label: coach.name });
  await page.getByRole("button", { name: "Show times" }).click();
  await expect(page).toHaveURL(new RegExp(`expert=${coach.id}`));
  await page.goto(`${new URL(page.url()).pathname}${new URL(page.url()).search}&from=${DAY}`);

  const day = page.getByTestId(`slots-${DAY}`);
  await day.getByRole("radio", { name: "10:00" }).check();
  // Five ticked learners, four seats: refused, nothing booked.
  await page.getByRole("button", { name: "Book seats for the ticked learners" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Not enough seats: 4 left, 5 needed. Untick some learners or pick another time.");

  await page.getByTestId(`slots-${DAY}`).getByRole("radio", { name: "10:00" }).check();
  await page.getByLabel(`Pupil 5 ${stamp}`).uncheck();
  await page.getByRole("button", { name: "Book seats for the ticked learners" }).click();
  await expect(page.getByText("Booked. The learners and the expert have been notified.")).toBeVisible();
  const sessions = page.getByTestId("cohort-sessions");
  await expect(sessions).toContainText(`CNC group ${stamp}`);
  await expect(sessions).toContainText("4 of 4 seats for this cohort");
  for (const p of pupils.slice(0, 4)) await expect(sessions).toContainText(p.name);
  await context.close();

  const booked = await db.booking.findMany({ where: { session: { hostId: coach.id }, status: "confirmed" }, include: { session: true } });
  expect(booked).toHaveLength(4);
  expect(booked.every((b) => b.bookedById === admin.id && b.session.capacity === 4)).toBe(true);
  expect(await db.notification.count({ where: { userId: { in: pupils.slice(0, 4).map((p) => p.id) }, kind: "cohortBooked" } })).toBe(4);
});
