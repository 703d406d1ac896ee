// GET /schedule/bookings/<id>/ics: the booking's session as an .ics file.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { bookingDetail, relationToBooking } from "~/domains/scheduling/booking.server";
import { sessionIcs } from "~/domains/scheduling/feed.server";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const booking = await bookingDetail(params.bookingId!);
  if (!booking || !(await relationToBooking(user, booking))) throw new Response("Not found", { status: 404 });
  const ics = sessionIcs(booking.session, { cancelled: booking.status === "cancelled" || booking.session.status === "cancelled" });
  return fileDownload(ics, `skillrelay-${booking.id}.ics`);
}
