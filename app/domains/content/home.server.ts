// The home page's showcase: latest stories and policies, verified experts, courses.
import { searchCatalogue } from "~/domains/courses/courses.server";
import type { DateOptions } from "~/utils/datetime";
import { listVerifiedExperts } from "./experts.server";
import { articleCards } from "./pages.server";

export async function homeShowcase(dates: DateOptions) {
  const [stories, policies, experts, courses] = await Promise.all([
    articleCards("story", dates, 3),
    articleCards("policy", dates, 3),
    listVerifiedExperts({ take: 6 }),
    searchCatalogue({ q: "", category: "", level: "", page: 1 }),
  ]);
  const en = dates.locale === "en";
  return {
    stories,
    policies,
    experts: experts.map((e) => ({ ...e, skills: en ? e.skillsEn : e.skills, slots: [] as string[] })),
    courses: courses.items.slice(0, 6).map((c) => ({ slug: c.slug, title: c.title, category: en ? c.category.nameEn : c.category.nameZh, coverId: c.coverAssetId })),
  };
}
