// All translations, server side only: a page gets its own locale's strings inlined in the
// HTML (see root.tsx), so the browser never downloads the other language.
import enCommon from "./en/common.json";
import enAuth from "./en/auth.json";
import enLive from "./en/live.json";
import enCourses from "./en/courses.json";
import enScheduling from "./en/scheduling.json";
import enSchools from "./en/schools.json";
import enAdmin from "./en/admin.json";
import enContent from "./en/content.json";
import enAssessment from "./en/assessment.json";
import enRecords from "./en/records.json";
import zhCommon from "./zh-CN/common.json";
import zhAuth from "./zh-CN/auth.json";
import zhLive from "./zh-CN/live.json";
import zhCourses from "./zh-CN/courses.json";
import zhScheduling from "./zh-CN/scheduling.json";
import zhSchools from "./zh-CN/schools.json";
import zhAdmin from "./zh-CN/admin.json";
import zhContent from "./zh-CN/content.json";
import zhAssessment from "./zh-CN/assessment.json";
import zhRecords from "./zh-CN/records.json";
import type { Locale } from "~/i18n";

export const resources: Record<Locale, Record<string, Record<string, unknown>>> = {
  en: { schools: enSchools, scheduling: enScheduling, common: enCommon, auth: enAuth, live: enLive, courses: enCourses, admin: enAdmin, content: enContent, assessment: enAssessment, records: enRecords },
  "zh-CN": { schools: zhSchools, scheduling: zhScheduling, common: zhCommon, auth: zhAuth, live: zhLive, courses: zhCourses, admin: zhAdmin, content: zhContent, assessment: zhAssessment, records: zhRecords },
};
