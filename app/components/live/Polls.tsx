/**
 * Polls in the live room: the host's form (question, kind, options, anonymity), the live
 * results as CSS bars, close and release; the learners' answer form and the released
 * results. Small on the wire (see docs/protocol.md "Polls"); no chart library.
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LiveRoomHandle, LiveSnapshot, PollKind, PollResults, PollView } from "~/domains/live/room-client";
import { Icon } from "~/components/ui/icon";

const KINDS: PollKind[] = ["single", "multiple", "true_false", "short"];
const MAX_OPTIONS = 10;

type Act = (fn: () => Promise<void>) => void;

export function PollsPanel({
  snapshot,
  handle,
  isModerator,
  act,
}: {
  snapshot: LiveSnapshot;
  handle: LiveRoomHandle | null;
  isModerator: boolean;
  act: Act;
}) {
  const { t } = useTranslation("live");
  const current = snapshot.poll;
  const connected = !!handle && snapshot.status === "connected";
  return (
    <div className="mt-2 space-y-3" data-testid="polls-panel">
      {current ? (
        <CurrentPoll view={current} handle={handle} isModerator={isModerator} act={act} connected={connected} />
      ) : (
        <p className="text-sm text-slate-500">{t("polls.none")}</p>
      )}
      {isModerator && (!current || current.poll.status !== "open") ? <CreatePoll handle={handle} act={act} connected={connected} /> : null}
    </div>
  );
}

function optionLabels(view: PollView, t: (key: string) => string): string[] {
  return view.poll.kind === "true_false" ? [t("polls.true"), t("polls.false")] : view.poll.options;
}

function CurrentPoll({
  view,
  handle,
  isModerator,
  act,
  connected,
}: {
  view: PollView;
  handle: LiveRoomHandle | null;
  isModerator: boolean;
  act: Act;
  connected: boolean;
}) {
  const { t } = useTranslation("live");
  const { poll, results } = view;
  const labels = optionLabels(view, t);
  return (
    <section className="rounded-md bg-white p-3 ring-1 ring-slate-200" aria-labelledby={`poll-${poll.id}`} data-testid="poll-current">
      <p className="text-xs font-semibold uppercase text-slate-500">
        {t(`polls.kinds.${poll.kind}`)}
        {poll.anonymous ? ` · ${t("polls.anonymous")}` : ""} · {t(`polls.status.${poll.status}`)}
      </p>
      <h3 id={`poll-${poll.id}`} className="mt-1 break-words font-semibold" data-testid="poll-question">
        {poll.question}
      </h3>
      {poll.status === "open" && !isModerator ? <AnswerForm view={view} labels={labels} handle={handle} act={act} connected={connected} /> : null}
      {poll.status !== "open" && !isModerator && view.myAnswer ? <p className="mt-2 text-sm text-slate-600">{t("polls.answered")}</p> : null}
      {results ? <ResultBars results={results} labels={labels} kind={poll.kind} /> : null}
      {!results && poll.status !== "open" && !isModerator ? <p className="mt-2 text-sm text-slate-500">{t("polls.waitingResults")}</p> : null}
      {isModerator && handle ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {poll.status === "open" ? (
            <button
              type="button"
              disabled={!connected}
              onClick={() => act(() => handle.host.closePoll(poll.id))}
              data-testid="poll-close"
              className="rounded-md bg-slate-200 px-3 py-1.5 text-sm font-semibold text-slate-800 disabled:opacity-50"
            >
              {t("polls.close")}
            </button>
          ) : null}
          {poll.status !== "released" ? (
            <button
              type="button"
              disabled={!connected}
              onClick={() => act(() => handle.host.releasePoll(poll.id))}
              data-testid="poll-release"
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
            >
              {t("polls.release")}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function AnswerForm({
  view,
  labels,
  handle,
  act,
  connected,
}: {
  view: PollView;
  labels: string[];
  handle: LiveRoomHandle | null;
  act: Act;
  connected: boolean;
}) {
  const { t } = useTranslation("live");
  const { poll, myAnswer } = view;
  const [choices, setChoices] = useState<number[]>(myAnswer?.choices ?? []);
  const [text, setText] = useState(myAnswer?.text ?? "");
  useEffect(() => {
    setChoices(myAnswer?.choices ?? []);
    setText(myAnswer?.text ?? "");
    // A new poll (or the answer coming back from the server after a rejoin).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [poll.id]);
  const name = useId();
  const multiple = poll.kind === "multiple";
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!handle) return;
    if (poll.kind === "short") {
      const value = text.trim();
      if (value) act(() => handle.answerPoll(poll.id, { text: value }));
    } else if (choices.length) {
      act(() => handle.answerPoll(poll.id, { choices }));
    }
  };
  return (
    <form onSubmit={submit} className="mt-2 space-y-2" data-testid="poll-answer-form">
      {poll.kind === "short" ? (
        <>
          <label htmlFor={`${name}-text`} className="sr-only">
            {t("polls.yourAnswer")}
          </label>
          <input
            id={`${name}-text`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
            placeholder={t("polls.yourAnswer")}
            data-testid="poll-text"
            className="w-full rounded-md border border-slate-300 px-3 py-2"
          />
        </>
      ) : (
        <fieldset className="space-y-1">
          <legend className="sr-only">{t("polls.chooseOption")}</legend>
          {labels.map((label, i) => (
            <label key={i} className="flex items-center gap-2 text-sm">
              <input
                type={multiple ? "checkbox" : "radio"}
                name={name}
                checked={choices.includes(i)}
                onChange={(e) =>
                  setChoices(multiple ? (e.target.checked ? [...choices, i] : choices.filter((c) => c !== i)) : [i])
                }
                data-testid={`poll-option-${i}`}
              />
              <span className="break-words">{label}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          disabled={!connected || (poll.kind === "short" ? !text.trim() : choices.length === 0)}
          data-testid="poll-submit"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
        >
          {myAnswer ? t("polls.change") : t("polls.submit")}
        </button>
        {myAnswer ? (
          <span className="inline-flex items-center gap-1 text-sm text-emerald-700" data-testid="poll-answered">
            <Icon name="check" className="h-4 w-4" />
            {t("polls.answered")}
          </span>
        ) : null}
      </div>
    </form>
  );
}

function ResultBars({ results, labels, kind }: { results: PollResults; labels: string[]; kind: PollKind }) {
  const { t } = useTranslation("live");
  return (
    <div className="mt-3" data-testid="poll-results">
      <p className="text-sm text-slate-600" data-testid="poll-total">
        {t("polls.total", { count: results.total })}
      </p>
      {kind === "short" ? (
        <ul className="mt-2 max-h-60 space-y-1 overflow-y-auto text-sm">
          {results.answers.map((a, i) => (
            <li key={i} className="break-words rounded bg-slate-50 px-2 py-1" data-testid="poll-short-answer">
              {a.name ? <span className="font-semibold">{a.name}: </span> : null}
              {a.text}
            </li>
          ))}
        </ul>
      ) : (
        <ul className="mt-2 space-y-2">
          {labels.map((label, i) => {
            const count = results.counts[i] ?? 0;
            const pct = results.total ? Math.round((count / results.total) * 100) : 0;
            return (
              <li key={i} data-testid={`poll-bar-${i}`}>
                <div className="flex justify-between gap-2 text-sm">
                  <span className="break-words">{label}</span>
                  <span className="shrink-0 tabular-nums" data-testid={`poll-count-${i}`}>
                    {count} ({pct}%)
                  </span>
                </div>
                <div
                  className="mt-0.5 h-3 w-full rounded bg-slate-100"
                  role="meter"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                  aria-label={label}
                >
                  <div className="h-3 rounded bg-brand-600" style={{ width: `${pct}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function CreatePoll({ handle, act, connected }: { handle: LiveRoomHandle | null; act: Act; connected: boolean }) {
  const { t } = useTranslation("live");
  const id = useId();
  const [question, setQuestion] = useState("");
  const [kind, setKind] = useState<PollKind>("single");
  const [options, setOptions] = useState<string[]>(["", ""]);
  const [anonymous, setAnonymous] = useState(false);
  const needsOptions = kind === "single" || kind === "multiple";
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const valid = question.trim().length > 0 && (!needsOptions || filled.length >= 2);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!handle || !valid) return;
    const input = { question: question.trim(), kind, options: needsOptions ? filled : [], anonymous };
    act(async () => {
      await handle.host.createPoll(input);
      setQuestion("");
      setOptions(["", ""]);
    });
  };
  return (
    <form onSubmit={submit} className="space-y-2 rounded-md bg-white p-3 ring-1 ring-slate-200" data-testid="poll-create-form">
      <h3 className="font-semibold">{t("polls.new")}</h3>
      <div>
        <label htmlFor={`${id}-q`} className="block text-sm font-medium">
          {t("polls.question")}
        </label>
        <input
          id={`${id}-q`}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          maxLength={300}
          required
          data-testid="poll-question-input"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor={`${id}-kind`} className="block text-sm font-medium">
          {t("polls.kind")}
        </label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as PollKind)}
          data-testid="poll-kind"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`polls.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {needsOptions ? (
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">{t("polls.options")}</legend>
          {options.map((o, i) => (
            <div key={i} className="flex gap-1">
              <label htmlFor={`${id}-o${i}`} className="sr-only">
                {t("polls.optionN", { n: i + 1 })}
              </label>
              <input
                id={`${id}-o${i}`}
                value={o}
                onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)))}
                maxLength={100}
                placeholder={t("polls.optionN", { n: i + 1 })}
                data-testid={`poll-option-input-${i}`}
                className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
              {options.length > 2 ? (
                <button
                  type="button"
                  onClick={() => setOptions(options.filter((_, j) => j !== i))}
                  aria-label={t("polls.removeOption", { n: i + 1 })}
                  className="rounded-md px-2 text-slate-600 hover:bg-slate-100"
                >
                  <Icon name="close" className="h-4 w-4" />
                </button>
              ) : null}
            </div>
          ))}
          {options.length < MAX_OPTIONS ? (
            <button type="button" onClick={() => setOptions([...options, ""])} data-testid="poll-add-option" className="text-sm font-semibold text-brand-700 underline">
              {t("polls.addOption")}
            </button>
          ) : null}
        </fieldset>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} data-testid="poll-anonymous" />
        {t("polls.anonymousLabel")}
      </label>
      <button
        type="submit"
        disabled={!connected || !valid}
        data-testid="poll-create"
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
      >
        {t("polls.ask")}
      </button>
    </form>
  );
}
