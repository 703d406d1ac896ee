import { expect, test } from "@playwright/test";
import { DEMO, loginAs } from "./helpers";

// A hydration mismatch makes React throw the server HTML away and re-render: clicks made in
// between are lost. Browse the main pages in both languages, in a time zone other than the
// server's, and fail on any React hydration error.
const PAGES: Record<string, string[]> = {
  [DEMO.learner]: ["/", "/courses", "/courses/mag-welding-basics", "/dashboard", "/schedule", "/schedule/bookings", "/live", "/notifications", "/account", "/competitions", "/no-such-page"],
  [DEMO.expert]: ["/teach", "/schedule/availability", "/schedule/calendar", "/live", "/competitions", "/competitions/new"],
  [DEMO.school_admin]: ["/school", "/school/learners", "/school/import", "/school/invitations", "/schedule", "/schedule/cohort", "/competitions/new"],
};

for (const locale of ["zh-CN", "en-US"]) {
  test(`pages hydrate without mismatches (${locale})`, async ({ browser, baseURL }) => {
    for (const [email, paths] of Object.entries(PAGES)) {
      const context = await browser.newContext({ locale, timezoneId: "America/New_York", extraHTTPHeaders: { "Accept-Language": locale } });
      await loginAs(context, baseURL!, email);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && /Minified React error #(418|423|425)|Hydration failed|did not match/.test(m.text())) errors.push(m.text().slice(0, 200));
      });
      for (const path of paths) {
        await page.goto(path);
        await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
        await page.waitForTimeout(300);
        expect(errors, `${email} ${path}`).toEqual([]);
      }
      await context.close();
    }
  });
}
