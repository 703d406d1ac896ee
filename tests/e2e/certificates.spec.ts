// A learner completes a tiny course, downloads the certificate from /certificates (read back
// with pdftotext), and a logged-out visitor verifies it at /verify/<code>. The course and
// learner are made directly in the e2e database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const EMAIL = `e2e-cert-${run}@skillrelay.test`;
const PASSWORD = "e2e-cert-password";
const NAME = "张三丰";

let prisma: PrismaClient;
let lesson: { slug: string; id: string; title: string };

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const learner = await prisma.user.create({ data: { email: EMAIL, name: NAME, role: "learner", passwordHash: await hashPassword(PASSWORD), locale: "en" } });
  const category = await prisma.skillCategory.upsert({
    where: { slug: "e2e-cert-welding" },
    create: { slug: "e2e-cert-welding", nameEn: "Welding (e2e cert)", nameZh: "焊接（证书测试）", sortOrder: 999 },
    update: {},
  });
  const title = `Gas safety 气焊安全 ${run}`;
  const course = await prisma.course.create({
    data: {
      slug: `e2e-cert-${run}`,
      title,
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      modules: { create: [{ title: "Only module", position: 1, lessons: { create: [{ title: "Cylinders", kind: "text", position: 1, body: "Keep cylinders upright.", durationMinutes: 5 }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  await prisma.enrollment.create({ data: { userId: learner.id, courseId: course.id } });
  lesson = { slug: course.slug, id: course.modules[0].lessons[0].id, title };
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("a learner completes a course, downloads the certificate, a visitor verifies it", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" }, acceptDownloads: true });
  await loginAs(context, baseURL!, EMAIL, PASSWORD);
  const page = await context.newPage();
  await page.goto(`/courses/${lesson.slug}/lessons/${lesson.id}`);
  await page.getByRole("button", { name: "I have read this lesson" }).click();
  await expect(page.getByTestId("lesson-done")).toBeVisible();

  await page.goto("/certificates");
  await expect(page.getByRole("heading", { level: 1, name: "My certificates" })).toBeVisible();
  await expect(page.getByText(lesson.title)).toBeVisible();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, "certificates-list.png"), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Chinese PDF" }).click()]);
  const file = path.join(ARTIFACTS, `certificate-${run}.pdf`);
  await download.saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain(NAME);
  expect(text).toContain("结业证书");

  const cert = await prisma.certificate.findFirstOrThrow({ where: { user: { email: EMAIL } } });
  const grouped = cert.code.match(/.{4}/g)!.join("-");
  expect(text).toContain(grouped);

  // A logged-out visitor: typing the code on /verify leads to the valid certificate.
  const visitorContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const visitor = await visitorContext.newPage();
  await visitor.goto("/verify");
  await visitor.getByLabel("Certificate code").fill(grouped.toLowerCase());
  await visitor.getByRole("button", { name: "Check" }).click();
  await expect(visitor).toHaveURL(new RegExp(`/verify/${cert.code}$`));
  await expect(visitor.getByRole("heading", { level: 1, name: "Valid certificate" })).toBeVisible();
  await expect(visitor.getByTestId("certificate-facts")).toContainText(NAME);
  await expect(visitor.getByTestId("certificate-facts")).toContainText(lesson.title);
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.screenshot({ path: path.join(ARTIFACTS, "certificate-verify-phone.png"), fullPage: true });
  await visitorContext.close();
  await context.close();
});
