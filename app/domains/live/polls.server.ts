/**
 * Polls of a live session (asked by the host in the live room, server/live): the database
 * side. Used by the live service (server/live/index.ts) and by the session page and its CSV
 * export. Every function takes the session id and checks that the poll belongs to it: a poll
 * id from a client is never trusted on its own.
 */
import { prisma } from "~/domains/db.server";
import type { LivePollKind, LivePollStatus } from "@prisma/client";
import { POLL_KINDS, POLL_LIMITS, type PollInfo, type PollKind, type PollResults } from "../../../server/live/protocol";

// The wire shapes and limits are the protocol's (server/live/protocol.ts): one definition.
export { POLL_KINDS, type PollInfo, type PollKind, type PollResults };
export const MAX_POLLS_PER_SESSION = POLL_LIMITS.perSession;
export const MAX_POLL_OPTIONS = POLL_LIMITS.options;
export const MAX_POLL_OPTION_CHARS = POLL_LIMITS.optionChars;
export const MAX_POLL_QUESTION_CHARS = POLL_LIMITS.questionChars;
export const MAX_SHORT_ANSWER_CHARS = POLL_LIMITS.shortAnswerChars;
/** Short answers listed in a results message (the count covers them all). */
export const MAX_LISTED_ANSWERS = 100;

export interface PollAnswerInfo {
  choices: number[];
  text: string | null;
}

export class PollError extends Error {
  constructor(
    readonly code: "not_found" | "bad_request" | "limit",
    message: string,
  ) {
    super(message);
    this.name = "PollError";
  }
}

const pollSelect = {
  id: true,
  question: true,
  kind: true,
  options: true,
  anonymous: true,
  status: true,
  createdAt: true,
} as const;

type PollRow = { id: string; question: string; kind: LivePollKind; options: string[]; anonymous: boolean; status: LivePollStatus; createdAt: Date };

function toInfo(row: PollRow): PollInfo {
  return { ...row, kind: row.kind as PollKind, createdAt: row.createdAt.toISOString() };
}

/** Number of options a poll's answers index into. */
export function optionCount(poll: { kind: PollKind | LivePollKind; options: string[] }): number {
  if (poll.kind === "true_false") return 2;
  if (poll.kind === "short") return 0;
  return poll.options.length;
}

export async function createPoll(
  sessionId: string,
  createdBy: string,
  input: { question: string; kind: PollKind; options: string[]; anonymous: boolean },
): Promise<PollInfo> {
  return prisma.$transaction(async (tx) => {
    // One session's polls are created one at a time (the row lock), so the checks below hold.
    await tx.$queryRaw`SELECT id FROM "LiveSession" WHERE id = ${sessionId} FOR UPDATE`;
    const [count, open] = await Promise.all([
      tx.livePoll.count({ where: { sessionId } }),
      tx.livePoll.count({ where: { sessionId, status: "open" } }),
    ]);
    if (count >= MAX_POLLS_PER_SESSION) throw new PollError("limit", `at most ${MAX_POLLS_PER_SESSION} polls per session`);
    if (open > 0) throw new PollError("bad_request", "close the open poll first");
    const options = input.kind === "single" || input.kind === "multiple" ? input.options : [];
    const row = await tx.livePoll.create({
      data: { sessionId, createdBy, question: input.question, kind: input.kind, options, anonymous: input.anonymous },
      select: pollSelect,
    });
    return toInfo(row);
  });
}

/** The poll `pollId` of session `sessionId`, or a PollError "not_found" (also for another session's poll). */
async function pollOf(sessionId: string, pollId: string) {
  const row = await prisma.livePoll.findFirst({ where: { id: pollId, sessionId }, select: pollSelect });
  if (!row) throw new PollError("not_found", "no such poll in this session");
  return row;
}

/**
 * Records (or replaces) `userId`'s answer to an open poll of the session. Checks the answer
 * against the poll's kind and options.
 */
export async function answerPoll(
  sessionId: string,
  pollId: string,
  userId: string,
  answer: { choices?: number[]; text?: string },
): Promise<PollInfo> {
  const poll = await pollOf(sessionId, pollId);
  if (poll.status !== "open") throw new PollError("bad_request", "this poll is closed");
  let choices: number[] = [];
  let text: string | null = null;
  if (poll.kind === "short") {
    if (answer.choices?.length) throw new PollError("bad_request", "a short-answer poll takes text, not choices");
    if (!answer.text) throw new PollError("bad_request", "empty answer");
    text = answer.text;
  } else {
    if (answer.text !== undefined) throw new PollError("bad_request", "a choice poll takes choices, not text");
    choices = [...new Set(answer.choices ?? [])].sort((a, b) => a - b);
    const n = optionCount(poll);
    if (choices.length === 0) throw new PollError("bad_request", "choose an option");
    if (choices.some((c) => c >= n)) throw new PollError("bad_request", "no such option");
    if (poll.kind !== "multiple" && choices.length !== 1) throw new PollError("bad_request", "choose exactly one option");
  }
  await prisma.livePollAnswer.upsert({
    where: { pollId_userId: { pollId, userId } },
    create: { pollId, userId, choices, text },
    update: { choices, text },
  });
  return toInfo(poll);
}

/** open → closed (no more answers). */
export async function closePoll(sessionId: string, pollId: string): Promise<PollInfo> {
  const poll = await pollOf(sessionId, pollId);
  if (poll.status !== "open") throw new PollError("bad_request", "this poll is not open");
  const row = await prisma.livePoll.update({
    where: { id: poll.id },
    data: { status: "closed", closedAt: new Date() },
    select: pollSelect,
  });
  return toInfo(row);
}

/** Shows the results to everyone; closes the poll first when it is still open. */
export async function releasePoll(sessionId: string, pollId: string): Promise<PollInfo> {
  const poll = await pollOf(sessionId, pollId);
  if (poll.status === "released") throw new PollError("bad_request", "already released");
  const now = new Date();
  const row = await prisma.livePoll.update({
    where: { id: poll.id },
    data: { status: "released", releasedAt: now, ...(poll.status === "open" ? { closedAt: now } : {}) },
    select: pollSelect,
  });
  return toInfo(row);
}

/**
 * Counts per option and the short answers. `withNames`: the answerers' names next to the
 * short answers (moderators' view of a poll that is not anonymous); otherwise none.
 */
export async function pollResults(sessionId: string, pollId: string, withNames: boolean): Promise<PollResults> {
  const poll = await pollOf(sessionId, pollId);
  const answers = await prisma.livePollAnswer.findMany({
    where: { pollId },
    select: { choices: true, text: true, user: { select: { name: true } } },
    orderBy: { updatedAt: "desc" },
  });
  const counts = new Array<number>(optionCount(poll)).fill(0);
  for (const a of answers) for (const c of a.choices) if (c < counts.length) counts[c] = (counts[c] ?? 0) + 1;
  const showNames = withNames && !poll.anonymous;
  return {
    pollId,
    total: answers.length,
    counts,
    answers:
      poll.kind === "short"
        ? answers
            .filter((a) => a.text !== null)
            .slice(0, MAX_LISTED_ANSWERS)
            .map((a) => ({ name: showNames ? a.user.name : null, text: a.text ?? "" }))
        : [],
  };
}

/** The session's most recent poll (the one the room shows), with `userId`'s answer to it. */
export async function currentPoll(sessionId: string, userId: string): Promise<{ poll: PollInfo; myAnswer: PollAnswerInfo | null } | null> {
  const row = await prisma.livePoll.findFirst({ where: { sessionId }, orderBy: { createdAt: "desc" }, select: pollSelect });
  if (!row) return null;
  const mine = await prisma.livePollAnswer.findUnique({
    where: { pollId_userId: { pollId: row.id, userId } },
    select: { choices: true, text: true },
  });
  return { poll: toInfo(row), myAnswer: mine };
}

/** Every poll of a session with its results (the session page; the caller checks the viewer is the host or an admin). */
export async function sessionPolls(sessionId: string) {
  const polls = await prisma.livePoll.findMany({
    where: { sessionId },
    orderBy: { createdAt: "asc" },
    select: {
      ...pollSelect,
      answers: { select: { choices: true, text: true, updatedAt: true, user: { select: { name: true } } }, orderBy: { updatedAt: "asc" } },
    },
  });
  return polls.map((p) => {
    const counts = new Array<number>(optionCount(p)).fill(0);
    for (const a of p.answers) for (const c of a.choices) if (c < counts.length) counts[c] = (counts[c] ?? 0) + 1;
    return {
      ...toInfo(p),
      total: p.answers.length,
      counts,
      answers: p.answers.map((a) => ({
        name: p.anonymous ? null : a.user.name,
        choices: a.choices,
        text: a.text,
        answeredAt: a.updatedAt.toISOString(),
      })),
    };
  });
}
export type SessionPoll = Awaited<ReturnType<typeof sessionPolls>>[number];

/** A CSV field: quoted, and a leading = + - @ neutralised (spreadsheet formulas). */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The session's polls as CSV: one row per answer (anonymous polls: no name), and a row per
 * poll without answers. `labels` localises the fixed words.
 */
export function pollsCsv(
  polls: SessionPoll[],
  labels: { header: string[]; kinds: Record<PollKind, string>; yes: string; no: string; trueLabel: string; falseLabel: string; anonymous: string },
): string {
  const lines = [labels.header.map(csvField).join(",")];
  polls.forEach((p, index) => {
    const optionText = (c: number) => (p.kind === "true_false" ? (c === 0 ? labels.trueLabel : labels.falseLabel) : (p.options[c] ?? ""));
    const base = [String(index + 1), p.question, labels.kinds[p.kind], p.anonymous ? labels.yes : labels.no];
    if (p.answers.length === 0) lines.push([...base, "", "", ""].map(csvField).join(","));
    for (const a of p.answers) {
      const answer = p.kind === "short" ? (a.text ?? "") : a.choices.map(optionText).join("; ");
      lines.push([...base, a.name ?? labels.anonymous, answer, a.answeredAt].map(csvField).join(","));
    }
  });
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
