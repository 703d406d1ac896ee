import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import stylesheet from "~/tailwind.css";
import { getAuth } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { LOCALES, LOCALE_NAMES, namespacesForPath, type Locale } from "~/i18n";
import { resources } from "~/locales/resources.server";
import { countUnread } from "~/domains/notifications/unread.server";
import { hasRole } from "~/domains/auth/roles";
import { useNonce } from "~/utils/nonce";
import { Icon } from "~/components/ui/icon";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "SkillRelay · 技能接力" },
  { name: "description", content: "Online courses and live tutoring by skills-competition experts." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [auth, locale] = await Promise.all([getAuth(request), i18next.getLocale(request)]);
  const lng = locale as Locale;
  const all = resources[lng];
  const body = {
    locale: lng,
    resources: Object.fromEntries(namespacesForPath(new URL(request.url).pathname).map((ns) => [ns, all[ns] ?? {}])),
    user: auth.user ? { id: auth.user.id, name: auth.user.name, role: auth.user.role, timeZone: auth.user.timeZone } : null,
    unread: auth.user ? await countUnread(auth.user.id) : 0,
  };
  return data(body, auth.setCookie ? { headers: { "Set-Cookie": auth.setCookie } } : undefined);
}

export type RootData = {
  locale: Locale;
  user: { id: string; name: string; role: string; timeZone: string } | null;
  unread: number;
};

// Navigations within a section reuse the strings already loaded; entering another section
// fetches the root data again (in the same single-fetch request as the page's own data).
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || namespacesForPath(currentUrl.pathname).join() !== namespacesForPath(nextUrl.pathname).join();

/** Puts the page's strings into i18next before any component below renders. */
function useTranslations(root: { locale: string; resources: Record<string, unknown> } | undefined) {
  const { i18n } = useTranslation();
  if (!root) return;
  for (const [ns, bundle] of Object.entries(root.resources)) {
    if (!i18n.hasResourceBundle(root.locale, ns)) i18n.addResourceBundle(root.locale, ns, bundle, true, false);
  }
  if (i18n.language !== root.locale) void i18n.changeLanguage(root.locale);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const locale = root?.locale ?? "zh-CN";
  const nonce = useNonce();
  useTranslations(root);
  return (
    <html lang={locale} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col bg-slate-50 text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/set-language" reloadDocument className="flex items-center gap-1">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <span className="sr-only">{t("nav.language")}</span>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === locale}
          data-testid={`lang-${l}`}
          className={
            "rounded px-2 py-1 text-sm " +
            (l === locale ? "bg-white/20 font-semibold text-white" : "text-brand-100 hover:bg-white/10")
          }
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </Form>
  );
}

function Header() {
  const { t } = useTranslation();
  const { user, locale, unread } = useLoaderData<typeof loader>();
  const navClass = ({ isActive }: { isActive: boolean }) =>
    "rounded px-3 py-2 text-sm font-medium " + (isActive ? "bg-white/20 text-white" : "text-brand-50 hover:bg-white/10");
  return (
    <header className="bg-brand-700 text-white shadow">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-brand-700">
        {t("nav.skipToContent")}
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
        <Link to="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-lg bg-accent-500 text-brand-700"><Icon name="tools" className="h-5 w-5" /></span>
          {t("appName")}
        </Link>
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
          <NavLink to="/" end className={navClass}>{t("nav.home")}</NavLink>
          <NavLink to="/courses" className={navClass}>{t("nav.courses")}</NavLink>
          {user ? (
            <>
              <NavLink to="/dashboard" className={navClass}>{t("nav.dashboard")}</NavLink>
              {hasRole(user, "expert") ? <NavLink to="/teach" className={navClass}>{t("nav.teach")}</NavLink> : null}
              {hasRole(user, "school_admin") ? <NavLink to="/school" className={navClass}>{t("nav.school")}</NavLink> : null}
              {hasRole(user, "learner") ? <NavLink to="/records" className={navClass}>{t("nav.records")}</NavLink> : null}
              {hasRole(user, "learner") ? <NavLink to="/certificates" className={navClass}>{t("nav.certificates")}</NavLink> : null}
              {user.role === "admin" ? <NavLink to="/admin" className={navClass}>{t("nav.admin")}</NavLink> : null}
              <NavLink to="/schedule" className={navClass}>{t("nav.schedule")}</NavLink>
              <NavLink to="/live" className={navClass}>{t("nav.live")}</NavLink>
              <NavLink to="/notifications" className={navClass} aria-label={`${t("nav.notifications")}${unread ? ` (${t("nav.unread", { count: unread })})` : ""}`}>
                <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                  <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                  <path d="M13.7 21a2 2 0 0 1-3.4 0" />
                </svg>
                {unread ? (
                  <span data-testid="unread-count" className="ml-1 rounded-full bg-accent-500 px-1.5 text-xs font-bold text-brand-700">{unread}</span>
                ) : null}
              </NavLink>
              <NavLink to="/account" className={navClass}>{t("nav.account")}</NavLink>
              <Form method="post" action="/logout">
                <button type="submit" className="rounded px-3 py-2 text-sm font-medium text-brand-50 hover:bg-white/10">
                  {t("nav.logout")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <NavLink to="/login" className={navClass}>{t("nav.login")}</NavLink>
              <NavLink to="/signup" className={navClass}>{t("nav.signup")}</NavLink>
            </>
          )}
          <LanguageSwitch locale={locale} />
        </nav>
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="mt-auto border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-2 px-4 py-6 text-sm text-slate-500">
        <span>{t("footer")}</span>
        <nav aria-label={t("footerLinks")} className="flex flex-wrap gap-4">
          <Link to="/experts/apply" className="hover:underline">{t("footerExpertApply")}</Link>
          <Link to="/schools/apply" className="hover:underline">{t("footerOrgApply")}</Link>
        </nav>
      </div>
    </footer>
  );
}

export default function App() {
  return (
    <>
      <Header />
      <main id="main" className="flex-1">
        <Outlet />
      </main>
      <Footer />
    </>
  );
}

// The error page must render the same on the server and in the browser even when no loader
// ran (a URL no route matches sends no strings), so its few words are here, not in i18next.
const ERROR_TEXT = {
  "zh-CN": {
    title: "出错了",
    notFound: "页面不存在。",
    forbidden: "你无权查看此页面。",
    orgUnverified: "该机构尚未通过平台认证：认证前不能导入或邀请学员，也不能申报或导出补贴。",
    backHome: "返回首页",
  },
  en: {
    title: "Something went wrong",
    notFound: "This page does not exist.",
    forbidden: "You are not allowed to see this page.",
    orgUnverified: "This organisation is not verified yet: until a platform admin verifies it, it cannot import or invite learners, or claim or export subsidies.",
    backHome: "Back to the home page",
  },
} as const;

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  const lang = root?.locale ?? (typeof document === "undefined" ? "zh-CN" : document.documentElement.lang);
  const text = ERROR_TEXT[lang === "en" ? "en" : "zh-CN"];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404 ? text.notFound : status === 403 ? (isRouteErrorResponse(error) && error.data === "org_unverified" ? text.orgUnverified : text.forbidden) : isRouteErrorResponse(error) ? String(error.data) : text.title;
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="text-5xl font-bold text-brand-600">{status}</p>
      <h1 className="mt-4 text-2xl font-semibold">{text.title}</h1>
      <p className="mt-2 text-slate-600">{message}</p>
      <a href="/" className="mt-6 inline-block rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">{text.backHome}</a>
    </main>
  );
}
