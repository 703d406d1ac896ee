// A week of bookable times as radio buttons grouped by day: one Tab stop per day, arrow keys
// move within it, works without JavaScript (the form posts the chosen value).
import { useTranslation } from "react-i18next";

export interface SlotBoardDay {
  date: string;
  label: string;
  choices: { value: string; time: string; seatsLeft?: number; capacity?: number; mine?: boolean }[];
}

export function SlotBoard({ days, name = "choice" }: { days: SlotBoardDay[]; name?: string }) {
  const { t } = useTranslation("scheduling");
  return (
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
                    <input type="radio" name={name} value={c.value} required disabled={c.mine} className="h-4 w-4 accent-brand-600" />
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
  );
}
