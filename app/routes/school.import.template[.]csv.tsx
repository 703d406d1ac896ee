// A sample import file in the admin's language (both header languages are accepted).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { toCsv } from "~/domains/schools/csv";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "school_admin");
  const zh = (await i18next.getLocale(request)) !== "en";
  const rows = zh
    ? [
        ["姓名", "手机号", "邮箱", "身份证号", "班级"],
        ["吉克阿依", "13800138000", "", "", "2025级焊接技术1班"],
        ["王建国", "", "wang.jianguo@example.com", "11010519491231002X", "2025级焊接技术1班"],
      ]
    : [
        ["name", "phone", "email", "id_number", "cohort"],
        ["Jike Ayi", "13800138000", "", "", "Welding class 1"],
        ["Wang Jianguo", "", "wang.jianguo@example.com", "11010519491231002X", "Welding class 1"],
      ];
  return fileDownload(toCsv(rows), "learners-template.csv");
}
