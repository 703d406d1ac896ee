-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('male', 'female');

-- CreateEnum
CREATE TYPE "ProgrammeKind" AS ENUM ('pre_employment', 'skills_upgrading', 'work_based');

-- CreateEnum
CREATE TYPE "HoursSource" AS ENUM ('lesson', 'live', 'assessment', 'correction');

-- CreateTable
CREATE TABLE "LearnerIdentity" (
    "userId" TEXT NOT NULL,
    "legalName" TEXT NOT NULL DEFAULT '',
    "gender" "Gender",
    "birthDate" TEXT,
    "countyCode" TEXT,
    "priorityKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "verifiedAt" TIMESTAMP(3),
    "verifiedById" TEXT,
    "verifiedByName" TEXT NOT NULL DEFAULT '',
    "verifiedDocument" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LearnerIdentity_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "TrainingProgramme" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "occupation" TEXT NOT NULL DEFAULT '',
    "kind" "ProgrammeKind" NOT NULL DEFAULT 'pre_employment',
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "subsidyPerLearner" INTEGER NOT NULL DEFAULT 0,
    "subsidyPerHour" INTEGER NOT NULL DEFAULT 0,
    "livingPerDay" INTEGER NOT NULL DEFAULT 0,
    "minMinutesPerDay" INTEGER NOT NULL DEFAULT 120,
    "lessonMinutes" INTEGER NOT NULL DEFAULT 10,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingProgramme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgrammeCourse" (
    "programmeId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,

    CONSTRAINT "ProgrammeCourse_pkey" PRIMARY KEY ("programmeId","courseId")
);

-- CreateTable
CREATE TABLE "HoursEntry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "source" "HoursSource" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "reason" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HoursEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayedRange" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "fromSecond" DOUBLE PRECISION NOT NULL,
    "toSecond" DOUBLE PRECISION NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlayedRange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingProgramme_orgId_idx" ON "TrainingProgramme"("orgId");

-- CreateIndex
CREATE INDEX "HoursEntry_programmeId_userId_idx" ON "HoursEntry"("programmeId", "userId");

-- CreateIndex
CREATE INDEX "PlayedRange_userId_lessonId_receivedAt_idx" ON "PlayedRange"("userId", "lessonId", "receivedAt");

-- AddForeignKey
ALTER TABLE "LearnerIdentity" ADD CONSTRAINT "LearnerIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingProgramme" ADD CONSTRAINT "TrainingProgramme_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingProgramme" ADD CONSTRAINT "TrainingProgramme_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgrammeCourse" ADD CONSTRAINT "ProgrammeCourse_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "TrainingProgramme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgrammeCourse" ADD CONSTRAINT "ProgrammeCourse_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "TrainingProgramme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayedRange" ADD CONSTRAINT "PlayedRange_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayedRange" ADD CONSTRAINT "PlayedRange_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE RULE "HoursEntry_no_update" AS ON UPDATE TO "HoursEntry" DO INSTEAD NOTHING;
