// A week of bookable times as radio buttons grouped by day: one Tab stop per day, arrow keys
// move within it, works without JavaScript (the form posts the chosen value).
import { useContext } from "react";
import { useTranslation } from "react-i18next";
import { KitFormContext, type AnyField } from "~/components/ui/forms";

export interface SlotBoardDay {
  date: string;
  label: string;
  choices: { value: string; time: string; seatsLeft?: number; capacity?: number; mine?: boolean }[];
}

/**
 * In a ConformForm, `field` gives the radios their name, the error (above the board) and, when
 * it is the first invalid field, the focus on the first free time (autoFocus without JavaScript).
 */
export function SlotBoard({ days, name = "choice", field }: { days: SlotBoardDay[]; name?: string; field?: AnyField }) {
  const { t } = useTranslation("scheduling");
  const ctx = useContext(KitFormContext);
  const message = field?.errors?.length ? field.errors.map((e) => (ctx ? ctx.t(e) : e)).join(" ") : undefined;
  const focus = Boolean(field && message && ctx?.hasFieldErrors && ctx.claimFocus(field.name));
  const firstFree = days.flatMap((d) => d.choices).find((c) => !c.mine)?.value;
  const radioName = field?.name ?? name;
  return (
    <>
    {message ? (
      <p id={field!.errorId} role="alert" className="mb-2 text-sm text-red-600">
        {message}
      </p>
    ) : null}
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-7">
      {days.map((day) => (
        <fieldset key={day.date} data-testid={`slots-${day.date}`} className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
          <legend className="sr-only">{day.label}</legend>
          <p aria-hidden className="text-sm font-semibold">
            {day.label}
          </p>
          {day.choices.length ? (
            <div className="mt-2 grid grid-cols-2 gap-1.5 xl:grid-cols-1">
              {day.choices.map((c) => {
                const seat = c.seatsLeft !== undefined;
                return (
                  <label
                    key={c.value}
                    className={
                      "flex cursor-pointer items-center gap-2 rounded-md border px-2 py-1.5 text-sm transition-colors has-[:checked]:border-brand-600 has-[:checked]:bg-brand-600 has-[:checked]:text-white has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 " +
                      (c.mine ? "border-emerald-300 bg-emerald-50 text-emerald-800" : "border-slate-300 hover:border-brand-400")
                    }
                  >
                    <input
                      type="radio"
                      name={radioName}
                      value={c.value}
                      required
                      disabled={c.mine}
                      defaultChecked={field && field.initialValue === c.value ? true : undefined}
                      className="h-4 w-4 accent-brand-600"
                      aria-invalid={message ? true : undefined}
                      aria-describedby={message ? field!.errorId : undefined}
                      autoFocus={focus && c.value === firstFree ? true : undefined}
                    />
                    <span className="flex flex-col leading-tight">
                      <span className="font-semibold tabular-nums">{c.time}</span>
                      {seat ? (
                        <span className="text-xs opacity-80">
                          {c.mine ? t("board.yourSeat") : t("board.seatsLeft", { count: c.seatsLeft, capacity: c.capacity })}
                        </span>
                      ) : null}
                    </span>
                  </label>
                );
              })}
            </div>
          ) : (
            <p className="mt-2 text-xs text-slate-400">{t("board.none")}</p>
          )}
        </fieldset>
      ))}
    </div>
    </>
  );
}
