// The hostile route matrix: EVERY route in app/routes, requested through the real HTTP server
// (Express + the Remix build) as anonymous, a learner, an expert, the school admin of
// organisation A, the school admin of organisation B and a platform admin, always with ids
// that belong to someone else (another school's cohort, another expert's course, another
// learner's booking, session, recording, media, invitation, join request…).
//
// Every answer must be one of: a redirect to log-in, a refusal (4xx), or the user's own
// page — never a 5xx, and never someone else's data (the victims' data carries canaries that
// must not appear). Routes with an action are also POSTed with a harmful body; afterwards
// the victims' data must be unchanged. The same requests with every id malformed (too long,
// a NUL byte, a path) must not give a 5xx either.
//
// A new file in app/routes without an entry in ROUTES fails the first test. A refusal that
// does not hold yet is listed in KNOWN_HOLES with what leaks: such a case passes while it
// still leaks and FAILS once it is fixed, so whoever fixes it flips the entry.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { lucia } from "~/domains/auth/lucia.server";
import { createSessionCookie, sessionHandle } from "~/domains/auth/session.server";
import { NO_PASSWORD } from "~/domains/schools/invitations.server";
import { protectIdNumber } from "~/domains/records/identity.server";
import { checkCharacter } from "~/domains/records/id-number";

process.env.RECORDINGS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-matrix-recordings-"));

const ROLES = ["anonymous", "learner", "expert", "schoolA", "schoolB", "platform"] as const;
type RoleName = (typeof ROLES)[number];

/**
 * login: a redirect to /login. denied: a 4xx. own: a 2xx/3xx showing only the user's own
 * things (no canary). ok: the legitimate owner (canaries allowed); POSTed with an empty
 * form, so nothing is changed, and must not fail with a 5xx.
 */
type Outcome = "login" | "denied" | "own" | "ok";
type Expect = Record<RoleName, Outcome>;

const all = (o: Outcome): Expect => ({ anonymous: o, learner: o, expert: o, schoolA: o, schoolB: o, platform: o });
/** Logged-in users see their own page; anonymous is sent to log in. */
const signedIn = (o: Partial<Expect> = {}): Expect => ({ ...all("own"), anonymous: "login", ...o });
/** Only these roles pass; anonymous logs in; everyone else is refused. */
const only = (allowed: Partial<Expect>): Expect => ({ ...all("denied"), anonymous: "login", ...allowed });

interface World {
  orgA: string;
  cohortA: string;
  programmeA: string;
  learnerA: string;
  pendingA: string;
  spentToken: string;
  revokedCalendarToken: string;
  joinRequestB: string;
  draftSlug: string;
  draftCourse: string;
  draftLesson: string;
  draftAsset: string;
  handInAsset: string;
  publishedSlug: string;
  publishedCourse: string;
  attackerExpertEmail: string;
  bookingA: string;
  privateSession: string;
  groupSession: string;
  recording: string;
  notificationA: string;
  victimExpert: string;
  victimRule: string;
  victimEmail: string;
  /** The public handle (as /account shows it) of a session of learner A. */
  victimSessionHandle: string;
  /** Learner A's certificate code (its title holds the canary). */
  certificateA: string;
  /** Learner A's pending expert application (admin review only). */
  expertApplicationA: string;
  /** A draft story (issue 10): never public, only platform admins edit it. */
  draftArticle: string;
  draftArticleSlug: string;
  /** The skill category the world's courses are filed under (only platform admins rename it). */
  category: string;
  /** A task lesson of the victim expert's draft course with a marking scheme, and learner A's hand-in. */
  schemeLesson: string;
  markedSubmission: string;
  /** The victim expert's ended mock competition (learner A competes; title holds the canary). */
  competition: string;
}

interface Spec {
  /** Path with someone else's ids. */
  path: (w: World) => string;
  get: Expect;
  /** For routes with an action: the harmful form and who may do it. */
  post?: { body: (w: World) => Record<string, string | string[]>; expect: Expect };
}

const ROUTES: Record<string, Spec | Spec[]> = {
  "_index.tsx": { path: () => "/", get: { ...all("own") } },
  // Platform administration (issue 10): only platform admins, page and every action.
  "admin._index.tsx": { path: () => "/admin", get: only({ platform: "ok" }) },
  "admin.users.tsx": {
    path: () => `/admin/users?q=${CANARY}`,
    get: only({ platform: "ok" }),
    post: { body: (w) => ({ intent: "disable", userId: w.learnerA }), expect: only({ platform: "ok" }) },
  },
  "admin.organisations._index.tsx": {
    path: () => "/admin/organisations?state=verified",
    get: only({ platform: "ok" }),
    post: { body: (w) => ({ intent: "reject", orgId: w.orgA, reason: "takeover" }), expect: only({ platform: "ok" }) },
  },
  // The review page shows the full contact phone: platform admins only (decision 021).
  "admin.organisations.$orgId.tsx": {
    path: (w) => `/admin/organisations/${w.orgA}`,
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "reject", reason: "takeover" }), expect: only({ platform: "ok" }) },
  },
  // The county list: platform admins only, page and every action (an edit, an import).
  "admin.regions.tsx": {
    path: () => "/admin/regions?q=5134",
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "update", code: "513431", name: "takeover", poverty: "" }), expect: only({ platform: "ok" }) },
  },
  // Skill categories: platform admins only.
  "admin.skills.tsx": {
    path: () => "/admin/skills",
    get: only({ platform: "ok" }),
    post: { body: (w) => ({ intent: "update", id: w.category, nameZh: "takeover", nameEn: "takeover" }), expect: only({ platform: "ok" }) },
  },
  // Priority groups: platform admins only.
  "admin.priority-groups.tsx": {
    path: () => "/admin/priority-groups",
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "update", id: "poor_household", nameZh: "takeover", nameEn: "takeover", active: "on" }), expect: only({ platform: "ok" }) },
  },
  // Public page; applying needs an account that may run an organisation (not an expert or a
  // platform admin: 403); an incomplete form is a 400 and creates nothing.
  "schools.apply.tsx": {
    path: () => "/schools/apply",
    get: all("own"),
    post: { body: () => ({ name: "", kind: "school" }), expect: { ...signedIn(), expert: "denied", platform: "denied" } },
  },
  "admin.audit.tsx": { path: () => `/admin/audit?actor=${CANARY}`, get: only({ platform: "ok" }) },
  "admin.reports.tsx": { path: () => "/admin/reports?months=6", get: only({ platform: "ok" }) },
  "admin.reports[.]csv.tsx": { path: () => "/admin/reports.csv?months=6", get: only({ platform: "ok" }) },
  "admin.reports[.]xlsx.tsx": { path: () => "/admin/reports.xlsx?months=6", get: only({ platform: "ok" }) },
  "admin.audit[.]csv.tsx": { path: () => "/admin/audit.csv", get: only({ platform: "ok" }) },
  "admin.experts._index.tsx": { path: () => "/admin/experts", get: only({ platform: "ok" }) },
  "admin.experts.$applicationId.tsx": {
    path: (w) => `/admin/experts/${w.expertApplicationA}`,
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "approve" }), expect: only({ platform: "ok" }) },
  },
  // Anyone signed in may apply; an incomplete form is a 400 and creates nothing.
  "experts.apply.tsx": {
    path: () => "/experts/apply",
    get: signedIn(),
    post: { body: () => ({ event: "", currentWork: "" }), expect: signedIn() },
  },
  // Content (issue 10): admin authoring is for platform admins only; drafts are never public.
  "admin.content._index.tsx": { path: () => "/admin/content", get: only({ platform: "ok" }) },
  // (A platform admin may create articles, so only the draft itself is in integrity().)
  "admin.content.new.tsx": {
    path: () => "/admin/content/new",
    get: only({ platform: "ok" }),
    post: { body: (w) => ({ intent: "save", kind: "story", slug: w.draftArticleSlug, titleZh: "hijack", status: "published", consent: "on", personName: "x" }), expect: only({ platform: "ok" }) },
  },
  "admin.content.$id.tsx": {
    path: (w) => `/admin/content/${w.draftArticle}`,
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "delete" }), expect: only({ platform: "ok" }) },
  },
  "admin.content.$id.image.tsx": { path: (w) => `/admin/content/${w.draftArticle}/image`, get: all("denied"), post: { body: () => ({}), expect: only({ platform: "ok" }) } },
  "admin.content.$id.body-image.tsx": { path: (w) => `/admin/content/${w.draftArticle}/body-image`, get: all("denied"), post: { body: () => ({}), expect: only({ platform: "ok" }) } },
  // The draft preview (decision 029): platform admins only; everyone else 403 / log in.
  "admin.content.$id_.preview.tsx": { path: (w) => `/admin/content/${w.draftArticle}/preview`, get: only({ platform: "ok" }) },
  "policies._index.tsx": { path: () => "/policies", get: all("own") },
  "policies.$slug.tsx": { path: (w) => `/policies/${w.draftArticleSlug}`, get: all("denied") },
  "stories._index.tsx": { path: () => "/stories", get: all("own") },
  "stories.$slug.tsx": { path: (w) => `/stories/${w.draftArticleSlug}`, get: all("denied") },
  "sitemap[.]xml.tsx": { path: () => "/sitemap.xml", get: all("own") },
  "feed[.]xml.tsx": { path: () => "/feed.xml", get: all("own") },
  "experts._index.tsx": { path: () => "/experts", get: all("own") },
  // The victim expert is not verified: no profile, and nobody can rate them.
  "experts.$id.tsx": {
    path: (w) => `/experts/${w.victimExpert}`,
    get: all("denied"),
    post: { body: () => ({ stars: "1", comment: "hijack" }), expect: only({}) },
  },
  "bench.bare.tsx": { path: () => "/bench/bare", get: all("own") },
  // Certificates: the list is one's own; a PDF only for its holder (learner A) or an admin;
  // verification is public (an unknown code: 404); revoking is for platform admins only.
  "certificates._index.tsx": { path: () => "/certificates", get: signedIn() },
  "certificates.$code.pdf.tsx": { path: (w) => `/certificates/${w.certificateA}/pdf`, get: only({ platform: "ok" }) },
  "verify._index.tsx": { path: () => "/verify", get: all("own") },
  "verify.$code.tsx": { path: () => "/verify/ZZZZZZZZZZZZZZZZ", get: all("denied") },
  "admin.certificates.tsx": {
    path: () => "/admin/certificates",
    get: only({ platform: "ok" }),
    post: { body: (w) => ({ intent: "revoke", code: w.certificateA, reason: "hostile" }), expect: only({ platform: "ok" }) },
  },
  // The feed's token is its bearer secret; a revoked one opens nothing for anyone.
  // Someone else's session handle ends nothing (404); the account page shows only one's own.
  "account.tsx": {
    path: () => "/account",
    get: signedIn(),
    post: { body: (w) => ({ intent: "end-session", handle: w.victimSessionHandle }), expect: { ...all("denied"), anonymous: "login" } },
  },
  "login_.code.tsx": {
    path: () => "/login/code",
    get: all("own"),
    // Starting a code log-in for someone's number leads to the code page (/login/code?ticket=…)
    // and sends them a code; it opens nothing. Sends to one number are limited (5 an hour):
    // the sixth (platform, last in ROLES) is refused, and a signed-in user's page then moves
    // on to /dashboard.
    post: { body: () => ({ intent: "start", login: "13812349876" }), expect: { ...all("login"), platform: "own" } },
  },
  "reset-password.tsx": {
    path: () => "/reset-password",
    get: all("own"),
    post: { body: (w) => ({ intent: "code", ticket: "not-a-ticket", code: "123456", password: "a-takeover-password" }), expect: all("own") },
  },
  "calendar.$token.tsx": { path: (w) => `/calendar/${w.revokedCalendarToken}.ics`, get: all("denied") },
  "courses.$slug._index.tsx": {
    path: (w) => `/courses/${w.draftSlug}`,
    get: { ...all("denied"), platform: "ok" },
    post: { body: () => ({}), expect: { ...all("denied"), anonymous: "login", platform: "ok" } },
  },
  "courses.$slug.lessons.$lessonId.tsx": [
    {
      path: (w) => `/courses/${w.draftSlug}/lessons/${w.draftLesson}`,
      get: only({ platform: "ok" }),
      post: { body: () => ({ intent: "complete" }), expect: only({ platform: "ok" }) },
    },
    // A draft course's lesson reached through a published course's address: the
    // not-enrolled are sent to that (public) course page, the admin gets a 404; no progress.
    {
      path: (w) => `/courses/${w.publishedSlug}/lessons/${w.draftLesson}`,
      get: signedIn({ platform: "denied" }),
      post: { body: () => ({ intent: "complete" }), expect: signedIn({ platform: "denied" }) },
    },
  ],
  "courses._index.tsx": { path: () => "/courses?q=Draft%20course", get: all("own") },
  // School A's admin sees its own cohorts and lagging learners there (issue 9); nobody else does.
  "dashboard.tsx": { path: () => "/dashboard", get: { ...signedIn(), schoolA: "ok" } },
  // A spent link: nobody learns whose it was, and a POST never reaches the password hash.
  "invite.$token.tsx": {
    path: (w) => `/invite/${w.spentToken}`,
    get: all("denied"),
    post: { body: () => ({ password: "a-takeover-password", confirm: "a-takeover-password" }), expect: all("denied") },
  },
  // School B's request to learner A: only learner A may open or answer it.
  "join.$requestId.tsx": {
    path: (w) => `/join/${w.joinRequestB}`,
    get: only({}),
    post: { body: () => ({ decision: "accept" }), expect: only({}) },
  },
  "live.$sessionId.tsx": { path: (w) => `/live/${w.privateSession}`, get: only({ platform: "ok" }) },
  "live._index.tsx": {
    path: () => "/live",
    get: signedIn(),
    post: { body: (w) => ({ title: "hijack", invitees: w.victimEmail }), expect: only({ expert: "ok", platform: "ok" }) },
  },
  "live.probe.tsx": { path: () => "/live/probe", get: signedIn() },
  "login.tsx": {
    path: () => "/login",
    get: all("own"),
    post: { body: () => ({ login: "nobody@example.com", password: "not-their-password" }), expect: { ...all("denied"), learner: "own", expert: "own", schoolA: "own", schoolB: "own", platform: "own" } },
  },
  "logout.tsx": { path: () => "/logout", get: all("own"), post: { body: () => ({}), expect: all("own") } },
  "media.$assetId.tsx": [
    { path: (w) => `/media/${w.draftAsset}`, get: { ...all("denied"), platform: "ok" } },
    { path: (w) => `/media/${w.handInAsset}?download=1&lesson=${w.draftLesson}`, get: { ...all("denied"), platform: "ok" } },
  ],
  "notifications.tsx": {
    path: () => "/notifications",
    get: signedIn(),
    post: { body: (w) => ({ intent: "open", id: w.notificationA }), expect: signedIn() },
  },
  "schedule._index.tsx": { path: () => "/schedule", get: signedIn(), post: { body: () => ({ intent: "feed-revoke" }), expect: signedIn() } },
  "schedule.availability.tsx": {
    path: () => "/schedule/availability",
    get: only({ expert: "own", platform: "own" }),
    post: { body: (w) => ({ intent: "delete-window", id: w.victimRule, ruleId: w.victimRule }), expect: only({ expert: "own", platform: "own" }) },
  },
  "schedule.bookings.$bookingId.tsx": {
    path: (w) => `/schedule/bookings/${w.bookingA}`,
    get: only({ platform: "ok" }),
    post: { body: () => ({ intent: "cancel" }), expect: only({ platform: "ok" }) },
  },
  "schedule.bookings.$bookingId_.ics.tsx": { path: (w) => `/schedule/bookings/${w.bookingA}.ics`, get: only({ platform: "ok" }) },
  "schedule.bookings._index.tsx": { path: () => "/schedule/bookings", get: signedIn() },
  "schedule.calendar.tsx": {
    path: () => "/schedule/calendar",
    get: only({ expert: "own", platform: "own" }),
    post: { body: (w) => ({ intent: "cancel-session", sessionId: w.privateSession }), expect: only({ platform: "ok" }) },
  },
  "schedule.cohort.tsx": {
    path: (w) => `/schedule/cohort?cohort=${w.cohortA}`,
    get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }),
    post: {
      body: (w) => ({ intent: "book", cohort: w.cohortA, learner: w.learnerA, choice: `seat:${w.groupSession}` }),
      expect: only({ schoolA: "ok", platform: "ok" }),
    },
  },
  "schedule.experts.$expertId.tsx": {
    path: (w) => `/schedule/experts/${w.victimExpert}`,
    get: signedIn(),
    post: { body: (w) => ({ intent: "reschedule", bookingId: w.bookingA, choice: `seat:${w.groupSession}` }), expect: only({ platform: "ok" }) },
  },
  "school._index.tsx": {
    path: () => "/school",
    get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }),
    post: { body: (w) => ({ intent: "createCohort", orgId: w.orgA, name: "hijack class" }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "school.cohorts.$cohortId.tsx": {
    path: (w) => `/school/cohorts/${w.cohortA}`,
    get: only({ schoolA: "ok", platform: "ok" }),
    post: { body: (w) => ({ intent: "removeMember", userId: w.learnerA }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "school.cohorts.$cohortId.export[.]csv.tsx": { path: (w) => `/school/cohorts/${w.cohortA}/export.csv`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.programmes._index.tsx": {
    path: () => "/school/programmes",
    get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }),
    post: {
      body: (w) => ({ title: "hijack", occupation: "", kind: "pre_employment", cohortId: w.cohortA, startDate: "2026-01-01", endDate: "2026-12-31", subsidyPerLearner: "1", subsidyPerHour: "1", livingPerDay: "1", minMinutesPerDay: "60", lessonMinutes: "10" }),
      expect: only({ schoolA: "ok", platform: "ok" }),
    },
  },
  "school.programmes.$programmeId.tsx": {
    path: (w) => `/school/programmes/${w.programmeA}`,
    get: only({ schoolA: "ok", platform: "ok" }),
    post: { body: (w) => ({ intent: "correct", userId: w.learnerA, day: "2026-03-02", minutes: "600", reason: "hijack hours" }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "school.programmes.$programmeId.export[.]xlsx.tsx": { path: (w) => `/school/programmes/${w.programmeA}/export.xlsx`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.programmes.$programmeId.export[.]csv.tsx": { path: (w) => `/school/programmes/${w.programmeA}/export.csv`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.learners_.$learnerId.identity.tsx": {
    path: (w) => `/school/learners/${w.learnerA}/identity`,
    get: only({ schoolA: "ok", platform: "ok" }),
    post: { body: () => ({ intent: "save", legalName: "hijack", reason: "hijack" }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "school.audit.tsx": { path: (w) => `/school/audit?action=records`, get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }) },
  "school.reports.tsx": { path: (w) => `/school/reports?org=${w.orgA}`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.reports[.]csv.tsx": { path: (w) => `/school/reports.csv?org=${w.orgA}`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.reports[.]xlsx.tsx": { path: (w) => `/school/reports.xlsx?org=${w.orgA}`, get: only({ schoolA: "ok", platform: "ok" }) },
  "school.audit[.]csv.tsx": { path: () => "/school/audit.csv", get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }) },
  "records._index.tsx": { path: () => "/records", get: signedIn() },
  "school.import.template[.]csv.tsx": { path: () => "/school/import/template.csv", get: only({ schoolA: "own", schoolB: "own", platform: "own" }) },
  "school.import.tsx": {
    path: () => "/school/import",
    get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }),
    post: { body: (w) => ({ intent: "apply", target: `cohort:${w.cohortA}`, sealed: "x", fileName: "a.csv" }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "school.invitations.tsx": { path: (w) => `/school/invitations?org=${w.orgA}`, get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }) },
  "school.learners.tsx": {
    path: (w) => `/school/learners?org=${w.orgA}&cohort=${w.cohortA}&q=Victim`,
    get: only({ schoolA: "ok", schoolB: "own", platform: "ok" }),
    post: { body: (w) => ({ intent: "renew", orgId: w.orgA, learnerId: w.pendingA }), expect: only({ schoolA: "ok", platform: "ok" }) },
  },
  "sessions.$sessionId.tsx": [
    {
      path: (w) => `/sessions/${w.privateSession}`,
      get: only({ platform: "ok" }),
      post: { body: () => ({ invitees: "intruder@example.com" }), expect: only({ platform: "ok" }) },
    },
    { path: (w) => `/sessions/${w.groupSession}`, get: only({ platform: "ok" }), post: { body: () => ({ invitees: "intruder@example.com" }), expect: only({ platform: "ok" }) } },
  ],
  // The session's polls as CSV (issue 13): the host and admins only, never a participant.
  "sessions.$sessionId_.polls[.]csv.tsx": { path: (w) => `/sessions/${w.privateSession}/polls.csv`, get: only({ platform: "ok" }) },
  "sessions.$sessionId_.analytics[.]csv.tsx": { path: (w) => `/sessions/${w.privateSession}/analytics.csv`, get: only({ platform: "ok" }) },
  // The session's whiteboard as PDF (issue 13): the session's people (here: admins; the attackers are none of them).
  "sessions.$sessionId_.board[.]pdf.tsx": { path: (w) => `/sessions/${w.privateSession}/board.pdf`, get: only({ platform: "ok" }) },
  "sessions.$sessionId_.recordings.$recordingId.tsx": { path: (w) => `/sessions/${w.privateSession}/recordings/${w.recording}`, get: only({ platform: "ok" }) },
  "set-language.tsx": { path: () => "/set-language", get: all("own"), post: { body: () => ({ lng: "en", redirectTo: "/" }), expect: all("own") } },
  "signup.tsx": { path: () => "/signup", get: all("own"), post: { body: () => ({}), expect: { ...all("denied"), learner: "own", expert: "own", schoolA: "own", schoolB: "own", platform: "own" } } },
  "teach._index.tsx": { path: () => "/teach", get: only({ expert: "own", platform: "own" }), post: { body: () => ({}), expect: only({ expert: "ok", platform: "ok" }) } },
  "teach.courses.$courseId._index.tsx": [
    {
      path: (w) => `/teach/courses/${w.draftCourse}`,
      get: only({ platform: "ok" }),
      post: { body: () => ({ intent: "publish" }), expect: only({ platform: "ok" }) },
    },
    {
      path: (w) => `/teach/courses/${w.publishedCourse}`,
      get: only({ platform: "ok" }),
      post: { body: (w) => ({ intent: "addCoauthor", email: w.attackerExpertEmail }), expect: only({ platform: "ok" }) },
    },
  ],
  "teach.courses.$courseId.cover.tsx": { path: (w) => `/teach/courses/${w.draftCourse}/cover`, get: all("denied"), post: { body: () => ({}), expect: only({ platform: "ok" }) } },
  "teach.courses.$courseId.lessons.$lessonId.scheme.tsx": [
    {
      path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.schemeLesson}/scheme`,
      get: only({ platform: "ok" }),
      post: { body: (w) => ({ intent: "release", submissionId: w.markedSubmission }), expect: only({ platform: "ok" }) },
    },
    // The scheme editor's forms (decision 028): only the course's authors; an id that is not this scheme's is a 404.
    {
      path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.schemeLesson}/scheme`,
      get: only({ platform: "ok" }),
      post: { body: (w) => ({ intent: "duplicate", targetId: w.markedSubmission }), expect: only({ platform: "ok" }) },
    },
  ],
  "teach.courses.$courseId.lessons.$lessonId.scheme[.]xlsx.tsx": { path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.schemeLesson}/scheme.xlsx`, get: only({ platform: "ok" }) },
  "teach.courses.$courseId.lessons.$lessonId.scheme.form[.]pdf.tsx": { path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.schemeLesson}/scheme/form.pdf`, get: only({ platform: "ok" }) },
  "marking._index.tsx": { path: () => "/marking", get: signedIn() },
  // Mock competitions: someone else's competition is a 404 for everyone but its creator (and platform admins).
  "competitions._index.tsx": { path: () => "/competitions", get: signedIn() },
  "competitions.new.tsx": {
    path: () => "/competitions/new",
    // School A's admin sees its own class (the canary) in the cohort picker; a platform admin sees every class.
    get: { ...all("own"), anonymous: "login", learner: "denied", schoolA: "ok", platform: "ok" },
    post: {
      body: (w) => ({ title: "defaced", lessonId: w.schemeLesson, startsAt: "2031-01-01T10:00", endsAt: "2031-01-01T12:00", participantEmails: "nobody@matrix.test", cohortId: w.cohortA, markerEmails: w.attackerExpertEmail }),
      expect: only({ schoolA: "ok", platform: "ok" }),
    },
  },
  "competitions.$competitionId._index.tsx": [
    {
      path: (w) => `/competitions/${w.competition}`,
      get: only({ platform: "ok" }),
      post: { body: () => ({ intent: "release" }), expect: only({ platform: "ok" }) },
    },
    // Removing learner A from the victim's competition: only its creator (and a platform admin, then refused: it has ended).
    {
      path: (w) => `/competitions/${w.competition}`,
      get: only({ platform: "ok" }),
      post: { body: (w) => ({ intent: "removeParticipant", userId: w.learnerA }), expect: only({ platform: "ok" }) },
    },
  ],
  "competitions.$competitionId.edit.tsx": {
    path: (w) => `/competitions/${w.competition}/edit`,
    get: only({ platform: "ok" }),
    // A platform admin passes the checks and is then refused by the rules (unknown competitor): nothing changes.
    post: { body: () => ({ title: "defaced", startsAt: "2031-01-01T10:00", endsAt: "2031-01-01T12:00", participantEmails: "nobody@matrix.test" }), expect: only({ platform: "ok" }) },
  },
  "competitions.$competitionId.results.tsx": { path: (w) => `/competitions/${w.competition}/results`, get: only({ platform: "ok" }) },
  "competitions.$competitionId.results[.]csv.tsx": { path: (w) => `/competitions/${w.competition}/results.csv`, get: only({ platform: "ok" }) },
  "competitions.$competitionId.results[.]xlsx.tsx": { path: (w) => `/competitions/${w.competition}/results.xlsx`, get: only({ platform: "ok" }) },
  "marking.$submissionId.form[.]pdf.tsx": { path: (w) => `/marking/${w.markedSubmission}/form.pdf`, get: only({}) },
  "marking.$submissionId.tsx": {
    path: (w) => `/marking/${w.markedSubmission}`,
    get: only({}),
    post: { body: () => ({ aspectId: "x", score: "3", feedback: "defaced" }), expect: only({}) },
  },
  "teach.courses.$courseId.lessons.$lessonId._index.tsx": {
    path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.draftLesson}`,
    get: only({ platform: "ok" }),
    post: { body: () => ({ title: "defaced", kind: "text", body: "defaced" }), expect: only({ platform: "ok" }) },
  },
  "teach.courses.$courseId.lessons.$lessonId.image.tsx": {
    path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.draftLesson}/image`,
    get: all("denied"),
    post: { body: () => ({}), expect: only({ platform: "ok" }) },
  },
  "teach.courses.$courseId.lessons.$lessonId.upload.tsx": {
    path: (w) => `/teach/courses/${w.draftCourse}/lessons/${w.draftLesson}/upload`,
    get: all("denied"),
    post: { body: () => ({}), expect: only({ platform: "ok" }) },
  },
};

/**
 * Refusals that do not hold yet, "METHOD route role" → what leaks. Each passes while it
 * still leaks and fails once fixed: then delete its line.
 */
const KNOWN_HOLES: Record<string, string> = {
};

/** The KNOWN_HOLES entry covering "METHOD route role [kind]", if any. */
function knownHole(key: string) {
  const parts = key.split(" ");
  for (const [pattern, what] of Object.entries(KNOWN_HOLES)) {
    const segs = pattern.split(" ");
    if (segs.length === parts.length && segs.every((seg, i) => seg === "*" || seg.split("|").includes(parts[i]))) return what;
  }
  return undefined;
}

// Anything showing one of these came from a victim's private data.
const CANARY = "Zq7x";
let canaries: string[] = [];

let server: RunningServer;
let w: World;
let users: Record<Exclude<RoleName, "anonymous">, string>;
let integrityBefore: unknown;

const routeFiles = () =>
  fs
    .readdirSync(path.resolve(import.meta.dirname, "../../app/routes"))
    .filter((f) => /\.(tsx|ts)$/.test(f))
    .sort();

const hasAction = (file: string) =>
  /export\s+(async\s+function|const)\s+action\b/.test(fs.readFileSync(path.resolve(import.meta.dirname, "../../app/routes", file), "utf8"));

async function buildWorld() {
  const tag = Math.random().toString(36).slice(2, 8);
  const mk = (role: "learner" | "expert" | "school_admin" | "admin", name: string, extra: object = {}) =>
    prisma.user.create({ data: { name, role, email: `${role}-${tag}-${name.replace(/\W/g, "").toLowerCase()}@matrix.test`, passwordHash: "x", locale: "en", ...extra } });

  // The actors.
  const learner = await mk("learner", "Attacker learner");
  const expert = await mk("expert", "Attacker expert");
  const adminA = await mk("school_admin", "Admin A");
  const adminB = await mk("school_admin", "Admin B");
  const platform = await mk("admin", "Platform admin");

  // School A and its learners (the victims), school B.
  const orgA = await prisma.organization.create({ data: { name: `School A ${tag}`, verifiedAt: new Date() } });
  const orgB = await prisma.organization.create({ data: { name: `School B ${tag}`, verifiedAt: new Date() } });
  await prisma.membership.createMany({ data: [{ orgId: orgA.id, userId: adminA.id, role: "admin" }, { orgId: orgB.id, userId: adminB.id, role: "admin" }] });
  const victimEmail = `victim-${CANARY.toLowerCase()}-${tag}@secret.test`;
  const idNumber = ((b: string) => b + checkCharacter(b))("51343120060314101");
  const learnerA = await prisma.user.create({
    data: { name: `${CANARY} Victim Learner`, email: victimEmail, phone: "13812349876", role: "learner", passwordHash: "x", locale: "en", createdByOrgId: orgA.id, ...protectIdNumber(idNumber) },
  });
  const pendingA = await prisma.user.create({
    data: { name: `${CANARY} Pending Learner`, phone: "13812349877", role: "learner", passwordHash: NO_PASSWORD, createdByOrgId: orgA.id },
  });
  await prisma.membership.createMany({ data: [orgA.id].flatMap((orgId) => [{ orgId, userId: learnerA.id, role: "learner" as const }, { orgId, userId: pendingA.id, role: "learner" as const }]) });
  const cohortA = await prisma.cohort.create({ data: { orgId: orgA.id, name: `${CANARY} Class A` } });
  await prisma.cohortMember.createMany({ data: [{ cohortId: cohortA.id, userId: learnerA.id }, { cohortId: cohortA.id, userId: pendingA.id }] });
  const programmeA = await prisma.trainingProgramme.create({ data: { orgId: orgA.id, cohortId: cohortA.id, title: `${CANARY} Programme A`, startDate: "2026-01-01", endDate: "2026-12-31" } });
  await prisma.hoursEntry.create({ data: { programmeId: programmeA.id, userId: learnerA.id, source: "lesson", sourceId: "x", day: "2026-03-02", minutes: 30 } });
  const pendingToken = `${CANARY}-pending-${tag}`;
  const spentToken = `spent-${tag}-0000000000000000`;
  await prisma.invitation.createMany({
    data: [
      { token: pendingToken, userId: pendingA.id, orgId: orgA.id, expiresAt: new Date(Date.now() + 86_400_000) },
      { token: spentToken, userId: learnerA.id, orgId: orgA.id, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date() },
    ],
  });
  const joinRequestB = await prisma.joinRequest.create({ data: { orgId: orgB.id, userId: learnerA.id } });

  // Another expert's draft course, its lesson file, and a published course.
  const victimExpert = await mk("expert", "Victim Expert");
  const category = await prisma.skillCategory.upsert({ where: { slug: "matrix" }, create: { slug: "matrix", nameEn: "Matrix", nameZh: "矩阵" }, update: {} });
  const draftAsset = await prisma.asset.create({
    data: { ownerId: victimExpert.id, storageKey: `files/matrix/${tag}.pdf`, originalName: `${CANARY}-notes.pdf`, mimeType: "application/pdf", sizeBytes: 5n },
  });
  const storageDir = process.env.STORAGE_DIR!;
  fs.mkdirSync(path.join(storageDir, "files/matrix"), { recursive: true });
  fs.writeFileSync(path.join(storageDir, `files/matrix/${tag}.pdf`), `${CANARY} private notes`);
  const draftArticle = await prisma.article.create({
    data: { kind: "story", slug: `draft-story-${tag}`, titleZh: `${CANARY}Draft story`, bodyZh: `${CANARY} secret`, status: "draft", personName: `${CANARY}Person` },
  });
  const draft = await prisma.course.create({
    data: {
      slug: `draft-${tag}`,
      title: `${CANARY}Draft course`,
      categoryId: category.id,
      status: "draft",
      authors: { create: { userId: victimExpert.id, role: "owner" } },
      modules: { create: { title: `${CANARY} module`, position: 0, lessons: { create: [{ title: `${CANARY} lesson`, kind: "material", position: 0, assetId: draftAsset.id, body: `${CANARY} body` }] } } },
    },
    include: { modules: { include: { lessons: true } } },
  });
  const published = await prisma.course.create({
    data: { slug: `published-${tag}`, title: "Public welding", categoryId: category.id, status: "published", authors: { create: { userId: victimExpert.id, role: "owner" } } },
  });
  const handInAsset = await prisma.asset.create({
    data: { ownerId: learnerA.id, storageKey: `files/matrix/${tag}-handin.txt`, originalName: `${CANARY}-handin.txt`, mimeType: "text/plain", sizeBytes: 5n },
  });
  fs.writeFileSync(path.join(storageDir, `files/matrix/${tag}-handin.txt`), `${CANARY} hand-in`);
  const schemeLesson = await prisma.lesson.create({ data: { moduleId: draft.modules[0].id, title: `${CANARY} task`, kind: "task", position: 1 } });
  await prisma.markingScheme.create({ data: { lessonId: schemeLesson.id, sections: { create: { name: `${CANARY} section`, weighting: 100, position: 0 } } } });
  const markedSubmission = await prisma.taskSubmission.create({ data: { lessonId: schemeLesson.id, userId: learnerA.id, body: `${CANARY} marked hand-in` } });
  const competition = await prisma.competition.create({
    data: {
      title: `${CANARY} mock competition`,
      description: `${CANARY} test project`,
      lessonId: schemeLesson.id,
      createdById: victimExpert.id,
      startsAt: new Date(Date.now() - 3 * 3_600_000),
      endsAt: new Date(Date.now() - 3_600_000),
      participants: { create: [{ userId: learnerA.id }] },
      submissions: { create: [{ lessonId: schemeLesson.id, userId: learnerA.id, body: `${CANARY} competition hand-in` }] },
    },
  });

  // The victim expert's schedule: a private 1:1 with learner A (booked), a group session, a recording.
  await prisma.expertProfile.create({
    data: { userId: victimExpert.id, minNoticeMinutes: 0, rules: { create: [{ weekday: 1, startMinute: 540, endMinute: 1020 }] } },
  });
  const rule = await prisma.availabilityRule.findFirstOrThrow({ where: { expertId: victimExpert.id } });
  const start = new Date(Date.now() + 3 * 86_400_000);
  const privateSession = await prisma.liveSession.create({
    data: {
      hostId: victimExpert.id,
      title: `${CANARY} private 1:1`,
      kind: "one_to_one",
      startsAt: start,
      endsAt: new Date(start.getTime() + 3_600_000),
      invites: { create: [{ userId: learnerA.id }] },
      bookings: { create: [{ learnerId: learnerA.id }] },
    },
    include: { bookings: true },
  });
  const groupStart = new Date(start.getTime() + 86_400_000);
  const groupSession = await prisma.liveSession.create({
    data: { hostId: victimExpert.id, title: "Open group", kind: "group", capacity: 10, startsAt: groupStart, endsAt: new Date(groupStart.getTime() + 3_600_000) },
  });
  const recordingKey = `${privateSession.id}/rec-${tag}0000.webm`;
  fs.mkdirSync(path.join(process.env.RECORDINGS_DIR!, privateSession.id), { recursive: true });
  fs.writeFileSync(path.join(process.env.RECORDINGS_DIR!, recordingKey), `${CANARY} recorded class`);
  const recording = await prisma.recording.create({ data: { sessionId: privateSession.id, status: "ready", storageKey: recordingKey, endedAt: new Date(), durationMs: 1000 } });
  const poll = await prisma.livePoll.create({
    data: { sessionId: privateSession.id, createdBy: victimExpert.id, question: `${CANARY} poll`, kind: "short", status: "released" },
  });
  await prisma.livePollAnswer.create({ data: { pollId: poll.id, userId: learnerA.id, text: `${CANARY} answer` } });
  await prisma.liveBoardOp.create({
    data: { sessionId: privateSession.id, userId: victimExpert.id, page: 0, data: { kind: "text", color: 0, size: 1, points: [100, 100], text: `${CANARY} board` } },
  });
  const notification = await prisma.notification.create({ data: { userId: learnerA.id, kind: "booked", title: `${CANARY} your booking`, url: `/schedule/bookings/${privateSession.bookings[0].id}` } });
  const calendar = await prisma.calendarToken.create({ data: { userId: learnerA.id, token: `revoked-${tag}-0000000000`, revokedAt: new Date() } });

  const certificateA = await prisma.certificate.create({
    data: { code: `HST${tag}`.toUpperCase().replace(/[^0-9A-HJKMNP-TV-Z]/g, "0").padEnd(16, "0").slice(0, 16), userId: learnerA.id, holderName: "Learner A", kind: "course", titleZh: `${CANARY} 证书`, titleEn: `${CANARY} certificate` },
  });
  const victimSession = await lucia.createSession(learnerA.id, { userAgent: null });
  const expertApplicationA = await prisma.expertApplication.create({
    data: { userId: learnerA.id, currentWork: `${CANARY} secret workplace`, competitionRecord: [{ event: `${CANARY} contest`, year: 2022, skill: "Welding", result: "Gold" }] },
  });
  canaries = [CANARY, victimEmail, "13812349876", "13812349877", pendingToken, idNumber];
  users = { learner: learner.id, expert: expert.id, schoolA: adminA.id, schoolB: adminB.id, platform: platform.id };
  w = {
    expertApplicationA: expertApplicationA.id,
    orgA: orgA.id,
    cohortA: cohortA.id,
    programmeA: programmeA.id,
    learnerA: learnerA.id,
    pendingA: pendingA.id,
    spentToken,
    revokedCalendarToken: calendar.token,
    joinRequestB: joinRequestB.id,
    draftSlug: draft.slug,
    draftCourse: draft.id,
    draftLesson: draft.modules[0].lessons[0].id,
    draftAsset: draftAsset.id,
    handInAsset: handInAsset.id,
    publishedSlug: published.slug,
    publishedCourse: published.id,
    attackerExpertEmail: expert.email!,
    bookingA: privateSession.bookings[0].id,
    privateSession: privateSession.id,
    groupSession: groupSession.id,
    recording: recording.id,
    notificationA: notification.id,
    victimExpert: victimExpert.id,
    victimRule: rule.id,
    victimEmail,
    victimSessionHandle: sessionHandle(victimSession.id),
    certificateA: certificateA.code,
    draftArticle: draftArticle.id,
    draftArticleSlug: draftArticle.slug,
    category: category.id,
    schemeLesson: schemeLesson.id,
    markedSubmission: markedSubmission.id,
    competition: competition.id,
  };
}

/** The victims' data that no request in the matrix may change. */
async function integrity() {
  return {
    learnerA: await prisma.user.findUniqueOrThrow({ where: { id: w.learnerA }, select: { name: true, email: true, phone: true, idNumberHash: true, passwordHash: true } }),
    pendingA: await prisma.user.findUniqueOrThrow({ where: { id: w.pendingA }, select: { passwordHash: true } }),
    cohortMembers: await prisma.cohortMember.count({ where: { cohortId: w.cohortA } }),
    cohortsOfA: await prisma.cohort.count({ where: { orgId: w.orgA } }),
    invitations: await prisma.invitation.findMany({ where: { orgId: w.orgA }, orderBy: { token: "asc" }, select: { token: true, usedAt: true } }),
    joinRequest: await prisma.joinRequest.findUniqueOrThrow({ where: { id: w.joinRequestB }, select: { status: true } }),
    membershipsOfLearnerA: await prisma.membership.count({ where: { userId: w.learnerA } }),
    draft: await prisma.course.findUniqueOrThrow({ where: { id: w.draftCourse }, select: { title: true, status: true, coverAssetId: true } }),
    lesson: await prisma.lesson.findUniqueOrThrow({ where: { id: w.draftLesson }, select: { title: true, body: true, assetId: true } }),
    booking: await prisma.booking.findUniqueOrThrow({ where: { id: w.bookingA }, select: { status: true, sessionId: true } }),
    sessions: await prisma.liveSession.findMany({ where: { hostId: w.victimExpert }, orderBy: { id: "asc" }, select: { status: true, title: true } }),
    invites: await prisma.liveSessionInvite.count({ where: { sessionId: w.privateSession } }),
    rule: await prisma.availabilityRule.count({ where: { id: w.victimRule } }),
    victimSessions: await prisma.session.count({ where: { userId: w.learnerA } }),
    notification: await prisma.notification.findUniqueOrThrow({ where: { id: w.notificationA }, select: { readAt: true } }),
    progressOnDraft: await prisma.lessonProgress.count({ where: { lessonId: w.draftLesson } }),
    enrolmentsOnDraft: await prisma.enrollment.count({ where: { courseId: w.draftCourse } }),
    certificateA: await prisma.certificate.findUniqueOrThrow({ where: { code: w.certificateA }, select: { revokedAt: true } }),
    programmes: await prisma.trainingProgramme.count({ where: { cohortId: w.cohortA } }),
    hoursA: await prisma.hoursEntry.count({ where: { programmeId: w.programmeA } }),
    identityA: await prisma.learnerIdentity.findUnique({ where: { userId: w.learnerA } }),
    draftArticle: await prisma.article.findUniqueOrThrow({ where: { id: w.draftArticle }, select: { titleZh: true, status: true, coverId: true, slug: true } }),
    ratings: await prisma.expertRating.count(),
    marks: await prisma.mark.count({ where: { submissionId: w.markedSubmission } }),
    releases: await prisma.resultRelease.count({ where: { submissionId: w.markedSubmission } }),
    competition: await prisma.competition.findUniqueOrThrow({ where: { id: w.competition }, select: { title: true, releasedAt: true, _count: { select: { participants: true, submissions: true, files: true } } } }),
    competitions: await prisma.competition.count(),
    orgA: await prisma.organization.findUniqueOrThrow({ where: { id: w.orgA }, select: { verifiedAt: true, rejectedAt: true, rejectionReason: true } }),
    category: await prisma.skillCategory.findUniqueOrThrow({ where: { id: w.category }, select: { nameZh: true, nameEn: true } }),
    region: await prisma.region.findUnique({ where: { code: "513431" }, select: { name: true, povertyCounty: true } }),
  };
}

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
  await buildWorld();
  integrityBefore = await integrity();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  location: string | null;
  body: string;
}

async function request(method: "GET" | "POST", role: RoleName, urlPath: string, body?: Record<string, string | string[]>): Promise<Answer> {
  const headers: Record<string, string> = { "Accept-Language": "en" };
  // A fresh session per request: a POST to /logout must not log the next request out.
  if (role !== "anonymous") headers.Cookie = (await createSessionCookie(users[role])).split(";")[0];
  let payload: URLSearchParams | undefined;
  if (method === "POST") {
    headers.Origin = server.url;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams();
    for (const [k, v] of Object.entries(body ?? {})) for (const x of [v].flat()) payload.append(k, x);
  }
  const res = await fetch(server.url + urlPath, { method, headers, body: payload, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** What is wrong with the answer, or null when it is as expected. */
function problem(expected: Outcome, a: Answer): string | null {
  if (a.status >= 500) return `${a.status} server error`;
  const leaked = canaries.find((c) => a.body.includes(c) || (a.location ?? "").includes(c));
  const toLogin = a.status >= 300 && a.status < 400 && (a.location ?? "").startsWith("/login");
  switch (expected) {
    case "ok":
      return null;
    case "login":
      return toLogin ? null : `expected a redirect to /login, got ${a.status} ${a.location ?? ""}`;
    case "denied":
      if (a.status < 400) return `expected a refusal (4xx), got ${a.status} ${a.location ?? ""}${leaked ? `, showing "${leaked}"` : ""}`;
      return leaked ? `refused (${a.status}) but the body shows "${leaked}"` : null;
    case "own":
      if (a.status >= 400 && a.status !== 400) return `expected the user's own page, got ${a.status}`;
      if (toLogin) return "expected the user's own page, got a redirect to /login";
      return leaked ? `${a.status}, showing someone else's "${leaked}"` : null;
  }
}

describe("hostile route matrix", () => {
  it("has an entry for every route file (a new route needs its row here)", () => {
    const files = routeFiles();
    expect(files.filter((f) => !ROUTES[f]), "routes without an entry in ROUTES").toEqual([]);
    expect(Object.keys(ROUTES).filter((f) => !files.includes(f)), "entries without a route file").toEqual([]);
    for (const f of files) expect([ROUTES[f]].flat().every((s) => !!s.post), `${f}: an action needs a POST row (and only an action)`).toBe(hasAction(f));
    // The server serves what the build holds: the same routes.
    const build = fs.readFileSync(path.resolve(import.meta.dirname, "../../build/index.js"), "utf8");
    for (const f of files) expect(build.includes(`"routes/${f.replace(/\.tsx?$/, "")}"`), `${f} in build/index.js (run node scripts/setup.mjs --test)`).toBe(true);
  });

  const cases = Object.entries(ROUTES).flatMap(([file, specs]) =>
    [specs].flat().flatMap((spec, i) => {
      const label = i ? `${file}#${i + 1}` : file;
      return [
        { method: "GET" as const, file, label, spec, expect: spec.get },
        ...(spec.post ? [{ method: "POST" as const, file, label, spec, expect: spec.post.expect }] : []),
      ];
    }),
  );

  it.each(cases)("$method $label", async ({ method, file, spec, expect: expected }) => {
    const failures: string[] = [];
    const holesSeen: string[] = [];
    for (const role of ROLES) {
      const outcome = expected[role];
      const body = method === "POST" ? (outcome === "ok" ? {} : spec.post!.body(w)) : undefined;
      const answer = await request(method, role, spec.path(w), body);
      const wrong = problem(outcome, answer);
      const key = `${method} ${file} ${role}`;
      if (knownHole(key)) {
        if (wrong) holesSeen.push(key);
        else failures.push(`${key}: listed in KNOWN_HOLES but now holds — remove it from the list`);
      } else if (wrong) failures.push(`${key}: ${wrong}`);
    }
    expect(failures).toEqual([]);
    if (holesSeen.length) console.warn(`known holes still open: ${holesSeen.join("; ")}`);
  });

  // The same paths and forms with every id replaced by something malformed: too long, a
  // NUL byte, characters no id has. Whoever asks, never a 5xx.
  const MALFORMED = { long: "x".repeat(41), huge: "y".repeat(3000), nul: "ab%00cd", odd: "..%2F..%2Fetc" };
  it.each(cases)("$method $label with malformed ids", async ({ method, label, spec }) => {
    const tries = Object.entries(MALFORMED).flatMap(([kind, value]) => (["learner", "platform"] as const).map((role) => ({ kind, value, role })));
    const failures = await Promise.all(
      tries.map(async ({ kind, value, role }) => {
        const bad = Object.fromEntries(Object.keys(w).map((k) => [k, value])) as unknown as World;
        const answer = await request(method, role, spec.path(bad), method === "POST" ? spec.post!.body(bad) : undefined);
        const key = `${method} ${label} ${role} ${kind}`;
        const wrong = answer.status >= 500 ? `${answer.status}` : null;
        if (knownHole(key)) return wrong ? null : `${key}: listed in KNOWN_HOLES but now holds — remove it from the list`;
        return wrong ? `${key}: ${wrong}` : null;
      }),
    );
    expect(failures.filter(Boolean)).toEqual([]);
  });

  it("left every victim's data as it was", async () => {
    expect(await integrity()).toEqual(integrityBefore);
  });

  it("the server still serves a legitimate request afterwards", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
