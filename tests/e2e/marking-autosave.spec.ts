// Marking saved as you go (issue 11, decision 028) in Chromium: a mark typed and blurred is
// stored without pressing save, each aspect shows its own status, Enter moves to the next
// aspect, a refused entry shows its error beside the aspect. People, course, scheme and hand-in
// are made directly in the e2e database.
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const run = Date.now().toString(36);
const PASSWORD = "e2e-autosave-password";
const MARKER = `e2e-autosave-marker-${run}@skillrelay.test`;
let prisma: PrismaClient;
let submissionId = "";
let markerId = "";
let aspectIds: string[] = [];

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  const lead = await prisma.user.create({ data: { email: `e2e-autosave-lead-${run}@skillrelay.test`, name: "Lead", role: "expert", passwordHash, locale: "en" } });
  const marker = await prisma.user.create({ data: { email: MARKER, name: "Marker", role: "expert", passwordHash, locale: "en" } });
  markerId = marker.id;
  const learner = await prisma.user.create({ data: { email: `e2e-autosave-learner-${run}@skillrelay.test`, name: "Learner", role: "learner", passwordHash, locale: "en" } });
  const category = await prisma.skillCategory.upsert({ where: { slug: "e2e-autosave" }, create: { slug: "e2e-autosave", nameEn: "Welding (e2e autosave)", nameZh: "焊接（自动保存测试）", sortOrder: 999 }, update: {} });
  const course = await prisma.course.create({
    data: {
      slug: `e2e-autosave-${run}`,
      title: `Autosave course ${run}`,
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      authors: { create: { userId: lead.id, role: "owner" } },
      modules: { create: [{ title: "M", position: 0, lessons: { create: [{ title: "Plate", kind: "task", position: 0, body: "Cut it." }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  const lessonId = course.modules[0].lessons[0].id;
  const scheme = await prisma.markingScheme.create({
    data: {
      lessonId,
      markers: { create: { userId: marker.id } },
      sections: {
        create: [
          {
            name: "Dimensions",
            weighting: 100,
            position: 0,
            criteria: {
              create: [
                {
                  code: "A",
                  name: "Size",
                  position: 0,
                  aspects: {
                    create: [
                      { kind: "measurement", description: "Length", maxMark: 40, measurement: { mode: "bands", bands: [{ upTo: 0.5, fraction: 1 }, { upTo: 1, fraction: 0.5 }] }, position: 0 },
                      { kind: "measurement", description: "Edge faults", maxMark: 60, measurement: { mode: "deduction", perFault: 10 }, position: 1 },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    include: { sections: { include: { criteria: { include: { aspects: { orderBy: { position: "asc" } } } } } } },
  });
  aspectIds = scheme.sections[0].criteria[0].aspects.map((a) => a.id);
  const sub = await prisma.taskSubmission.create({ data: { lessonId, userId: learner.id, body: "my plate" } });
  submissionId = sub.id;
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("a mark typed and blurred is stored without pressing save; Enter goes to the next aspect", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(context, baseURL!, MARKER, PASSWORD);
  const page = await context.newPage();
  await page.goto(`/marking/${submissionId}`);
  await waitForHydration(page);
  const length = page.getByRole("form", { name: "Length" });
  const faults = page.getByRole("form", { name: "Edge faults" });

  await length.getByLabel("Deviation from nominal").fill("0.3");
  await length.getByLabel("Deviation from nominal").press("Enter");
  // Enter moved the focus to the next aspect's entry …
  await expect(faults.getByLabel("Faults")).toBeFocused();
  // … and the mark was saved, shown beside its aspect only.
  await expect(length.getByTestId("aspect-status")).toHaveText("Saved.");
  await expect(faults.getByTestId("aspect-status")).toHaveText("");
  await expect.poll(async () => (await prisma.mark.findFirst({ where: { submissionId, aspectId: aspectIds[0], markerId } }))?.measured ?? null).toBe(0.3);

  // Typed and left with Tab (blur), no save button pressed.
  await faults.getByLabel("Faults").fill("2");
  await faults.getByLabel("Faults").press("Tab");
  await expect(faults.getByTestId("aspect-status")).toHaveText("Saved.");
  const stored = await prisma.mark.findFirstOrThrow({ where: { submissionId, aspectId: aspectIds[1], markerId } });
  expect(stored).toMatchObject({ faults: 2, value: 40 });
  await expect(faults.getByText("Mark 40")).toBeVisible();

  // Leaving a field unchanged saves nothing more; the feedback saves on blur too.
  const changes = await prisma.markChange.count({ where: { mark: { submissionId } } });
  await faults.getByLabel("Faults").focus();
  await faults.getByLabel("Faults").press("Tab");
  await page.waitForTimeout(300);
  expect(await prisma.markChange.count({ where: { mark: { submissionId } } })).toBe(changes);
  await length.getByLabel("Feedback").fill("Within 0.5 mm");
  await faults.getByLabel("Faults").focus();
  await expect.poll(async () => (await prisma.mark.findFirst({ where: { submissionId, aspectId: aspectIds[0], markerId } }))?.feedback).toBe("Within 0.5 mm");
  await context.close();
});

test("without JavaScript the save button still stores the mark", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(context, baseURL!, MARKER, PASSWORD);
  const page = await context.newPage();
  await page.goto(`/marking/${submissionId}`);
  const faults = page.getByRole("form", { name: "Edge faults" });
  await faults.getByLabel("Faults").fill("5");
  await faults.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("form", { name: "Edge faults" }).getByTestId("aspect-status")).toHaveText("Saved.");
  expect(await prisma.mark.findFirstOrThrow({ where: { submissionId, aspectId: aspectIds[1], markerId } })).toMatchObject({ faults: 5, value: 10 });
  await context.close();
});
