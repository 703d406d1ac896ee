// Forms of the school pages (shared with the browser).
import { z } from "zod";

export const createCohortSchema = z.object({ intent: z.literal("createCohort"), orgId: z.string().min(1), name: z.string() });
export const createOrgSchema = z.object({
  intent: z.literal("createOrg"),
  name: z.string().trim().min(1, "errors.orgNameRequired").max(120, "errors.orgNameRequired"),
  kind: z.enum(["school", "training_centre", "enterprise"], { message: "errors.badRequest" }),
  adminEmail: z.string().trim().optional(),
});
export type CreateOrgInput = z.infer<typeof createOrgSchema>;
export const assignCourseSchema = z.object({ courseId: z.string().min(1, "courseRequired"), dueDate: z.string() });
