import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "~/domains/auth/session.server";

export async function action({ request }: ActionFunctionArgs) {
  throw redirect("/", { headers: { "Set-Cookie": await logout(request) } });
}

export async function loader() {
  throw redirect("/");
}
