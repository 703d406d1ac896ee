// Forms of the school pages (shared with the browser).
import { z } from "zod";
import { formList } from "~/utils/input";

export const createCohortSchema = z.object({ intent: z.literal("createCohort"), orgId: z.string().min(1), name: z.string() });
export const createOrgSchema = z.object({
  intent: z.literal("createOrg"),
  name: z.string().trim().min(1, "errors.orgNameRequired").max(120, "errors.orgNameRequired"),
  kind: z.enum(["school", "training_centre", "enterprise"], { message: "errors.badRequest" }),
  adminEmail: z.string().trim().optional(),
});
export type CreateOrgInput = z.infer<typeof createOrgSchema>;
/** A course assigned to a class with its due date (a new one, or a row's new due date). */
export const assignCourseSchema = z.object({
  intent: z.literal("assign"),
  courseId: z.string().min(1, "errors.courseRequired").max(40, "errors.courseRequired"),
  dueDate: z.string().max(10, "errors.dueDateInvalid").regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dueDateInvalid"),
});
export type AssignCourseInput = z.input<typeof assignCourseSchema>;
/** Learners of the organisation added to a class (a ticked list). */
export const addMembersSchema = z.object({
  intent: z.literal("addMembers"),
  userId: formList(z.array(z.string().min(1, "errors.pickLearners").max(40, "errors.pickLearners")).min(1, "errors.pickLearners").max(1000, "errors.pickLearners")),
});

/**
 * One learner invited by hand (/school/learners): the raw fields. Their rules are the CSV
 * import's row checks (validateRow in csv.ts, shared with /school/import), whose codes become
 * the fields' errors (`rowErrors.<code>`); here only the shape and the lengths a form can send.
 */
export const inviteLearnerSchema = z.object({
  intent: z.literal("invite"),
  target: z.string().max(80, "errors.badRequest"),
  name: z.string().max(200, "rowErrors.nameTooLong").default(""),
  email: z.string().max(200, "rowErrors.emailInvalid").default(""),
  phone: z.string().max(40, "rowErrors.phoneInvalid").default(""),
  idNumber: z.string().max(40, "rowErrors.idFormat").default(""),
});
export type InviteLearnerInput = z.input<typeof inviteLearnerSchema>;

/** The text fields of /school/import's upload (the file itself is read and checked by csv.ts). */
export const importUploadSchema = z.object({ target: z.string().max(80, "errors.badRequest") });
/** The upload form's fields: the file is checked by csv.ts, its refusals come back on `file`. */
export type ImportUploadInput = { target: string; file: unknown };
