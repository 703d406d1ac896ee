// Forms and queries of the certificate pages (shared with the browser).
import { z } from "zod";
import { text } from "~/utils/input";

export const certificateSearchSchema = z.object({ q: text(100).optional() });
export const certificateRevokeSchema = z.object({
  intent: z.literal("revoke"),
  code: z.string().max(40),
  reason: text(300, "certificates.admin.reasonRequired").pipe(z.string().trim().min(1, "certificates.admin.reasonRequired")),
});
export const certificatePdfQuerySchema = z.object({ lang: z.enum(["zh-CN", "en"]).optional() });
