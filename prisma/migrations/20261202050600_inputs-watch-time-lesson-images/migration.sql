-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "imageOfCourseId" TEXT;

-- AlterTable
ALTER TABLE "LessonProgress" ADD COLUMN     "videoPosition" DOUBLE PRECISION,
ADD COLUMN     "videoReportedAt" TIMESTAMP(3);

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_imageOfCourseId_fkey" FOREIGN KEY ("imageOfCourseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;
