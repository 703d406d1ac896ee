import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { LOCALES } from "~/i18n";
import { localeCookie } from "~/i18next.server";
import { getUser } from "~/domains/auth/session.server";
import { safeRedirect, setLanguageSchema } from "~/domains/auth/validation";
import { setPreferredLocale } from "~/domains/auth/accounts.server";
import { readForm } from "~/utils/input.server";


export async function action({ request }: ActionFunctionArgs) {
  const parsed = setLanguageSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unknown language", { status: 400 });
  const user = await getUser(request);
  if (user) await setPreferredLocale(user.id, parsed.data.locale);
  throw redirect(safeRedirect(parsed.data.redirectTo, "/"), {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) },
  });
}

export async function loader() {
  throw redirect("/");
}
