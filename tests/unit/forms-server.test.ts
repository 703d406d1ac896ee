// parseForm (app/utils/forms.server.ts): the server half of the one form pattern (decision 031).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { text } from "~/utils/input";
import { formErrorReply, parseForm, withFormError } from "~/utils/forms.server";

const schema = z.object({
  title: text(10).pipe(z.string().trim().min(1, "errors.titleRequired")),
  count: z.coerce.number().int().min(1, "errors.count"),
});

const post = (body: URLSearchParams | string, type = "application/x-www-form-urlencoded") => new Request("http://localhost/x", { method: "POST", headers: { "Content-Type": type }, body: String(body) });
const status = async (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof Response ? e.status : 500));

describe("parseForm", () => {
  it("gives the schema's value, or each field's error key and what was typed", async () => {
    const ok = await parseForm(post(new URLSearchParams({ title: " Weld ", count: "3" })), schema);
    expect(ok.status).toBe("success");
    if (ok.status === "success") expect(ok.value).toEqual({ title: "Weld", count: 3 });

    const bad = await parseForm(post(new URLSearchParams({ title: "", count: "0" })), schema);
    expect(bad.status).toBe("error");
    const reply = bad.reply();
    // Empty stays "" (no Conform coercion): our key, not zod's "Required".
    expect(reply.error).toEqual({ title: ["errors.titleRequired"], count: ["errors.count"] });
    expect(reply.initialValue).toEqual({ count: "0" });
  });

  it("replaces messages that are not keys when given a fallback", async () => {
    const bad = await parseForm(post(new URLSearchParams({ title: "x".repeat(11), count: "1" })), schema, { fallback: "errors.bad" });
    expect(bad.reply().error).toEqual({ title: ["errors.bad"] });
    const raw = await parseForm(post(new URLSearchParams({ title: "x".repeat(11), count: "1" })), schema);
    expect(raw.reply().error).toEqual({ title: ["at most 10 characters"] });
  });

  it("answers hostile bodies with a 4xx, never a thrown error (500)", async () => {
    for (const body of [
      "title=a&count=1&__intent__=%7Bnot-json",
      "title=a&count=1&__intent__=%5B1%5D",
      "title=a&count=1&__state__=nope",
      "title=a&count=1&rows%5B99999999%5D=x",
      "title=a%00&count=1",
    ]) {
      expect(await status(parseForm(post(body), schema)), body).toBe(400);
    }
    expect(await status(parseForm(post("{}", "application/json"), schema))).toBe(415);
    // Names Conform cannot place are ignored, not a crash.
    expect(await status(parseForm(post("title=a&count=1&__proto__%5Bx%5D=1&constructor.prototype=1"), schema))).toBe(200);
  });

  it("formErrorReply and withFormError give a form-level error and keep what was typed (lists for repeated names)", () => {
    const form = new FormData();
    for (const [k, v] of [["event", "A"], ["event", ""], ["event", "C"], ["name", "Li"], ["password", "secret"]]) form.append(k, v);
    const reply = formErrorReply("errors.tooMany", form, ["password"]);
    expect(reply).toEqual({ status: "error", initialValue: { event: ["A", "", "C"], name: "Li" }, error: { "": ["errors.tooMany"] } });
    expect(withFormError({ status: "error", error: { name: ["errors.x"] } }, "errors.y").error).toEqual({ name: ["errors.x"], "": ["errors.y"] });
  });
});
