// An invitation link to hand out: selectable text that works without JavaScript, plus a
// copy button once the page is interactive.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

export function CopyLink({ url, label }: { url: string; label: string }) {
  const { t } = useTranslation("schools");
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && !!navigator.clipboard), []);
  return (
    <div className="flex min-w-0 items-center gap-2">
      <input
        readOnly
        value={url}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        className="min-w-0 flex-1 rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-700"
        data-testid="invite-link"
      />
      {canCopy ? (
        <button
          type="button"
          className="shrink-0 rounded border border-slate-300 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-50"
          onClick={async () => {
            await navigator.clipboard.writeText(url);
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          }}
        >
          {copied ? t("links.copied") : t("links.copy")}
        </button>
      ) : null}
      <span aria-live="polite" className="sr-only">{copied ? t("links.copied") : ""}</span>
    </div>
  );
}
