// A live session's whiteboard as a PDF (one page per board page, drawn as vectors), for the
// people of the session: its host, its participants (invited or booked, not removed) and admins.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { boardPdf } from "~/domains/live/board-pdf.server";
import { boardPages } from "~/domains/live/board.server";
import { checkAccess } from "~/domains/live/sessions.server";
import { i18next } from "~/i18next.server";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  if (!/^[a-z0-9]{1,64}$/i.test(sessionId)) throw new Response("Not found", { status: 404 });
  const { view, session } = await checkAccess(user, sessionId);
  if (!view.ok || !session) throw new Response(view.ok || view.reason === "not_found" ? "Not found" : "Forbidden", { status: view.ok || view.reason === "not_found" ? 404 : 403 });
  const locale = await i18next.getLocale(request);
  const t = await i18next.getFixedT(locale, "live");
  const pdf = await boardPdf({
    title: session.title,
    pages: await boardPages(sessionId),
    caption: (page) => t("board.pdfPage", { page }),
    empty: t("board.pdfEmpty"),
  });
  return fileDownload(new Uint8Array(pdf), `session-${sessionId}-whiteboard.pdf`);
}
