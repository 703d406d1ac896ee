import { describe, expect, it } from "vitest";
import { coveredMs, formatDuration } from "~/domains/live/format";
import { instantSessionSchema, inviteSchema, splitEmails } from "~/domains/live/validation";

describe("instant session form", () => {
  it("splits invitees on commas, spaces, new lines and Chinese punctuation, de-duplicated", () => {
    expect(splitEmails(" A@x.cn, b@y.cn\nc@z.cn；a@x.cn ，d@w.cn ")).toEqual(["a@x.cn", "b@y.cn", "c@z.cn", "d@w.cn"]);
  });

  it("defaults capacity to the number invited and duration to an hour", () => {
    expect(instantSessionSchema.parse({ title: " Weld ", invitees: "a@x.cn b@y.cn" })).toEqual({
      title: "Weld",
      invitees: ["a@x.cn", "b@y.cn"],
      capacity: 2,
      durationMinutes: 60,
    });
    expect(instantSessionSchema.parse({ title: "Open", invitees: "" }).capacity).toBe(1);
  });

  it("reports bad fields with translation keys", () => {
    const issue = (input: Record<string, unknown>) => instantSessionSchema.safeParse(input).error?.issues[0]?.message;
    expect(issue({ title: "", invitees: "" })).toBe("errors.titleRequired");
    expect(issue({ title: "x", invitees: "not-an-email" })).toBe("errors.emailInvalid");
    expect(issue({ title: "x", capacity: "0" })).toBe("errors.capacityInvalid");
    expect(issue({ title: "x", durationMinutes: "45" })).toBe("errors.durationInvalid");
    expect(issue({ title: "x", invitees: Array.from({ length: 50 }, (_, i) => `u${i}@x.cn`).join(",") })).toBe("errors.tooManyInvitees");
    expect(inviteSchema.safeParse({ invitees: " " }).error?.issues[0]?.message).toBe("errors.inviteesRequired");
  });
});

describe("attendance arithmetic", () => {
  it("counts overlapping intervals (two tabs) once", () => {
    const t = (m: number) => new Date(Date.UTC(2030, 0, 1, 10, m));
    expect(coveredMs([{ from: t(0), to: t(30) }, { from: t(10), to: t(20) }, { from: t(40), to: t(50) }])).toBe(40 * 60_000);
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(65_000)).toBe("1:05");
  });
});
