import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { readForm } from "~/utils/input.server";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SchoolHeader, StatusBadge } from "~/components/schools/ui";
import { Notice, ProgressBar } from "~/components/ui/feedback";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { Button, CheckboxList, SelectField, TextField, linkButton } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";
import { BarChart } from "~/components/ui/bar-chart-view";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { addCohortMembers, assignableCourses, cohortReport, learnersOutsideCohort, removeCohortMember } from "~/domains/schools/cohorts.server";
import { assignCourse, removeAssignment } from "~/domains/schools/assignments.server";
import { dateInSchoolZone, dueAtFromDate, SCHOOL_TIME_ZONE, STATUSES, type AssignmentStatus } from "~/domains/schools/status";
import { formatDate, formatDateTime } from "~/utils/datetime";
import { Icon } from "~/components/ui/icon";
import { addMembersSchema, assignCourseSchema, type AssignCourseInput } from "~/domains/schools/validation";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cohort.name ?? "Cohort"} · School · SkillRelay` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const now = new Date();
  const report = await cohortReport(user, params.cohortId ?? "", now);
  const [courses, outside, locale] = await Promise.all([
    assignableCourses(),
    learnersOutsideCohort(report.cohort.orgId, report.cohort.id),
    i18next.getLocale(request),
  ]);
  const assigned = new Set(report.assignments.map((a) => a.courseId));
  return {
    cohort: report.cohort,
    org: report.org,
    assignments: report.assignments.map((a) => ({
      ...a,
      dueLabel: formatDate(a.dueAt, { locale, timeZone: SCHOOL_TIME_ZONE }),
      dueInput: dateInSchoolZone(a.dueAt),
    })),
    learners: report.learners.map((l) => ({
      id: l.id,
      name: l.name,
      phoneMasked: l.phoneMasked,
      email: l.email,
      activated: l.activated,
      overdueCount: l.overdueCount,
      cells: l.cells.map((c) => ({
        courseId: c.courseId,
        completed: c.completed,
        total: c.total,
        percent: c.percent,
        status: c.status,
        lastActivity: c.lastActivityAt ? formatDateTime(c.lastActivityAt, { locale, timeZone: user.timeZone }) : "",
      })),
    })),
    courses: courses.filter((c) => !assigned.has(c.id)),
    outside,
    defaultDue: dateInSchoolZone(new Date(now.getTime() + 30 * 86_400_000)),
    today: dateInSchoolZone(now),
  };
}


export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const cohortId = params.cohortId ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "assign") {
    const submission = await parseForm(form, assignCourseSchema, { fallback: "errors.badRequest" });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const dueAt = dueAtFromDate(submission.value.dueDate);
    if (!dueAt) return data(submission.reply({ fieldErrors: { dueDate: ["errors.dueDateInvalid"] } }), { status: 400 });
    const result = await assignCourse(user, { cohortId, courseId: submission.value.courseId, dueAt });
    if (!result.ok) return data(submission.reply({ fieldErrors: { courseId: [`errors.${result.error}`] } }), { status: 400 });
    return data({ ...submission.reply({ resetForm: true }), intent, error: null });
  }
  if (intent === "unassign") {
    await removeAssignment(user, cohortId, String(form.get("assignmentId") ?? ""));
    return data({ intent, error: null });
  }
  if (intent === "addMembers") {
    const submission = await parseForm(form, addMembersSchema, { fallback: "errors.pickLearners" });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await addCohortMembers(user, cohortId, submission.value.userId);
    return data({ ...submission.reply({ resetForm: true }), intent, error: null });
  }
  if (intent === "removeMember") {
    await removeCohortMember(user, cohortId, String(form.get("userId") ?? ""));
    return data({ intent, error: null });
  }
  throw new Response("Bad request", { status: 400 });
}

const CHART_COLORS: Record<AssignmentStatus, string> = {
  completed: "#10b981",
  inProgress: "#1d7fd8",
  notStarted: "#cbd5e1",
  overdue: "#ef4444",
};

function AssignmentsCard() {
  const { t } = useTranslation("schools");
  const { assignments } = useLoaderData<typeof loader>();
  return (
    <Card title={t("cohort.assignmentsTitle")} id="assignments">
      {assignments.length === 0 ? <p className="mb-4 text-slate-600">{t("cohort.noAssignments")}</p> : null}
      <ul className="mb-4 divide-y divide-slate-100">
        {assignments.map((a) => (
          <li key={a.assignmentId} className="grid grid-cols-1 gap-2 py-3 sm:grid-cols-[2fr_1fr_auto] sm:items-center" data-testid="assignment">
            <div className="min-w-0">
              <p className="font-medium">
                <Link to={`/courses/${a.courseSlug}`} className="text-brand-700 hover:underline">{a.courseTitle}</Link>
                {!a.coursePublished ? <span className="ml-2 rounded bg-slate-100 px-1 text-xs text-slate-600">{t("cohort.unpublished")}</span> : null}
              </p>
              <p className={"text-sm " + (a.pastDue ? "font-semibold text-red-700" : "text-slate-600")}>
                {t(a.pastDue ? "cohort.wasDue" : "cohort.due", { date: a.dueLabel })} · {t("cohort.averageShort", { percent: a.averagePercent })}
              </p>
            </div>
            <DueDateForm assignmentId={a.assignmentId} courseId={a.courseId} courseTitle={a.courseTitle} dueInput={a.dueInput} />
            <Form method="post" onSubmit={(e) => { if (!confirm(t("cohort.unassignConfirm", { course: a.courseTitle }))) e.preventDefault(); }}>
              <input type="hidden" name="intent" value="unassign" />
              <input type="hidden" name="assignmentId" value={a.assignmentId} />
              <button type="submit" className="text-sm font-medium text-red-700 hover:underline">
                {t("cohort.unassign")}<span className="sr-only"> {a.courseTitle}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <AssignForm />
      <p className="mt-2 text-xs text-slate-500">{t("cohort.assignHint")}</p>
    </Card>
  );
}

/** A row's due date changed (the same `assign` intent, its course fixed). */
function DueDateForm({ assignmentId, courseId, courseTitle, dueInput }: { assignmentId: string; courseId: string; courseTitle: string; dueInput: string }) {
  const { t } = useTranslation("schools");
  const [form, fields] = useConformForm<AssignCourseInput & { row: string }>({ id: `due-${assignmentId}`, lastResult: useReplyFor({ intent: "assign", row: assignmentId }), defaultValue: { dueDate: dueInput } });
  return (
    <ConformForm form={form} t={t} method="post" className="flex items-end gap-2">
      <input type="hidden" name="intent" value="assign" />
      <input type="hidden" name="row" value={assignmentId} />
      <input type="hidden" name="courseId" value={courseId} />
      <TextField label={t("cohort.changeDueFor", { course: courseTitle })} labelHidden field={fields.dueDate} type="date" required />
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-semibold hover:bg-slate-50">{t("cohort.changeDue")}</button>
    </ConformForm>
  );
}

function AssignForm() {
  const { t } = useTranslation("schools");
  const { courses, defaultDue, today } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useConformForm<AssignCourseInput>({ id: "assign", lastResult: useReplyFor({ intent: "assign", row: undefined }), defaultValue: { courseId: "", dueDate: defaultDue } });
  return (
    <ConformForm form={form} t={t} method="post" className="grid grid-cols-1 gap-3 border-t border-slate-100 pt-4 sm:grid-cols-[2fr_1fr_auto] sm:items-end" data-testid="assign-form">
      <input type="hidden" name="intent" value="assign" />
      <SelectField label={t("cohort.course")} field={fields.courseId} required>
        <option value="" disabled>{courses.length ? t("cohort.pickCourse") : t("cohort.noCourses")}</option>
        {courses.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
      </SelectField>
      <TextField label={t("cohort.dueDate")} field={fields.dueDate} type="date" required min={today} />
      <Button type="submit" disabled={busy || courses.length === 0}>{t("cohort.assign")}</Button>
    </ConformForm>
  );
}

function ProgressSection() {
  const { t } = useTranslation("schools");
  const { assignments, learners } = useLoaderData<typeof loader>();
  if (assignments.length === 0 || learners.length === 0) return null;
  const chartData = {
    labels: assignments.map((a) => a.courseTitle),
    axisLabel: t("cohort.chartAxis"),
    series: STATUSES.map((s) => ({ key: s, label: t(`status.${s}`), color: CHART_COLORS[s], values: assignments.map((a) => a.counts[s]) })),
  };
  const summary = assignments
    .map((a) => t("cohort.chartSummary", { course: a.courseTitle, completed: a.counts.completed, inProgress: a.counts.inProgress, notStarted: a.counts.notStarted, overdue: a.counts.overdue }))
    .join(" ");
  return (
    <>
      <Card title={t("cohort.overviewTitle")} id="overview">
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <BarChart data={chartData} summary={summary} testId="cohort-chart" />
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="summary-table">
              <caption className="sr-only">{t("cohort.summaryCaption")}</caption>
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-2">{t("cohort.course")}</th>
                  {STATUSES.map((s) => <th key={s} scope="col" className="px-1 py-2 text-right">{t(`status.${s}`)}</th>)}
                  <th scope="col" className="py-2 pl-2 text-right">{t("cohort.average")}</th>
                </tr>
              </thead>
              <tbody>
                {assignments.map((a) => (
                  <tr key={a.assignmentId} className="border-t border-slate-100">
                    <th scope="row" className="py-2 pr-2 font-medium">{a.courseTitle}<span className="block text-xs font-normal text-slate-500">{t("cohort.due", { date: a.dueLabel })}</span></th>
                    {STATUSES.map((s) => (
                      <td key={s} className={"px-1 py-2 text-right tabular-nums " + (s === "overdue" && a.counts.overdue ? "font-bold text-red-700" : "")}>{a.counts[s]}</td>
                    ))}
                    <td className="py-2 pl-2 text-right tabular-nums">{a.averagePercent}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </Card>
      <Card title={t("cohort.progressTitle")} id="progress">
        <div className="-mx-4 overflow-x-auto sm:mx-0">
          <table className="w-full min-w-[36rem] border-separate border-spacing-0 text-left text-sm" data-testid="progress-table">
            <caption className="sr-only">{t("cohort.progressCaption")}</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="sticky left-0 z-10 bg-white py-2 pl-4 pr-3 sm:pl-0">{t("cohort.learner")}</th>
                {assignments.map((a) => (
                  <th key={a.assignmentId} scope="col" className="min-w-40 px-3 py-2 normal-case">
                    <span className="block font-semibold text-slate-700">{a.courseTitle}</span>
                    <span className={"block font-normal " + (a.pastDue ? "text-red-700" : "")}>{t("cohort.due", { date: a.dueLabel })}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {learners.map((l) => (
                <tr key={l.id} data-testid="progress-row" data-learner={l.name}>
                  <th scope="row" className="sticky left-0 z-10 border-t border-slate-100 bg-white py-2 pl-4 pr-3 align-top font-medium sm:pl-0">
                    {l.name}
                    {l.overdueCount ? <span className="block text-xs font-semibold text-red-700"><Icon name="warning" className="mr-1 h-3.5 w-3.5" />{t("cohort.overdueCount", { count: l.overdueCount })}</span> : null}
                  </th>
                  {l.cells.map((c, i) => (
                    <td key={c.courseId} className={"border-t border-slate-100 px-3 py-2 align-top " + (c.status === "overdue" ? "bg-red-50" : "")} data-status={c.status}>
                      <div className="flex items-center justify-between gap-2">
                        <span className="tabular-nums" data-testid="cell-percent">{t("cohort.lessonsDone", { completed: c.completed, total: c.total, percent: c.percent })}</span>
                        {c.status === "overdue" || c.status === "completed" ? <StatusBadge status={c.status} /> : null}
                      </div>
                      <div className="mt-1">
                        <ProgressBar
                          percent={c.percent}
                          tone={c.status === "overdue" ? "red" : c.status === "completed" ? "green" : "brand"}
                          label={t("cohort.progressOf", { name: l.name, course: assignments[i].courseTitle })}
                        />
                      </div>
                      {c.lastActivity ? <p className="mt-1 text-xs text-slate-500">{t("cohort.lastActivity", { date: c.lastActivity })}</p> : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}

function MembersCard() {
  const { t } = useTranslation("schools");
  const { learners, outside, cohort } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useConformForm({ id: "add-members", lastResult: useReplyFor({ intent: "addMembers" }) });
  return (
    <Card title={t("cohort.membersTitle", { count: learners.length })} id="members">
      {learners.length === 0 ? <p className="mb-4 text-slate-600">{t("cohort.noMembers")}</p> : null}
      <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2" data-testid="members">
        {learners.map((l) => (
          <li key={l.id} className="flex items-center justify-between gap-2 rounded-lg border border-slate-100 px-3 py-2">
            <div className="min-w-0">
              <p className="font-medium">{l.name}</p>
              <p className="truncate text-xs text-slate-500">
                {[l.phoneMasked, l.email].filter(Boolean).join(" · ")}
                {l.activated ? "" : ` · ${t("cohort.notActivated")}`}
              </p>
            </div>
            <Form method="post" onSubmit={(e) => { if (!confirm(t("cohort.removeConfirm", { name: l.name }))) e.preventDefault(); }}>
              <input type="hidden" name="intent" value="removeMember" />
              <input type="hidden" name="userId" value={l.id} />
              <button type="submit" className="rounded px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50">
                {t("cohort.remove")}<span className="sr-only"> {l.name}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-4">
        <Link to={`/school/import?cohort=${cohort.id}`} className={linkButton}>{t("cohort.importInto")}</Link>
        <Link to={`/school/invitations?cohort=${cohort.id}`} className={linkButton}>{t("cohort.printLinks")}</Link>
      </div>
      {outside.length ? (
        <details className="mt-4 rounded-lg border border-slate-200 p-3" open={form.status === "error" || undefined}>
          <summary className="cursor-pointer font-medium">{t("cohort.addFromSchool", { count: outside.length })}</summary>
          <ConformForm form={form} t={t} method="post" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="addMembers" />
            <CheckboxList
              legend={t("cohort.addFromSchool", { count: outside.length })}
              legendHidden
              field={fields.userId}
              listClassName="grid max-h-72 gap-1 overflow-y-auto sm:grid-cols-2"
              options={outside.map((u) => ({
                value: u.id,
                label: (
                  <>
                    <span>{u.name}</span>
                    <span className="truncate text-xs text-slate-500">{u.phone ?? u.email}</span>
                  </>
                ),
              }))}
            />
            <Button type="submit" disabled={busy}>{t("cohort.addSelected")}</Button>
          </ConformForm>
        </details>
      ) : null}
    </Card>
  );
}

export default function CohortPage() {
  const { t } = useTranslation("schools");
  const { cohort, org, learners, assignments } = useLoaderData<typeof loader>();
  const overdue = learners.reduce((n, l) => n + l.overdueCount, 0);
  return (
    <>
      <SchoolHeader
        title={cohort.name}
        lead={`${t("overview.memberCount", { count: learners.length })} · ${t("overview.assignmentCount", { count: assignments.length })}`}
        crumbs={[{ to: "/school", label: org.name }]}
        actions={
          <a href={`/school/cohorts/${cohort.id}/export.csv`} download className={linkButton} data-testid="export-csv">
            {t("cohort.export")}
          </a>
        }
      />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        {overdue ? <Notice tone="warning">{t("cohort.overdueNotice", { count: overdue })}</Notice> : null}
        <ProgressSection />
        <AssignmentsCard />
        <MembersCard />
      </div>
    </>
  );
}
