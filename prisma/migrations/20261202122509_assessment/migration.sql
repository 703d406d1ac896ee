-- CreateEnum
CREATE TYPE "AspectKind" AS ENUM ('measurement', 'judgement');

-- CreateTable
CREATE TABLE "MarkingScheme" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "total" DOUBLE PRECISION NOT NULL DEFAULT 100,
    "tolerance" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "passMark" DOUBLE PRECISION NOT NULL DEFAULT 50,
    "blind" BOOLEAN NOT NULL DEFAULT false,
    "attemptsAllowed" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MarkingScheme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemeSection" (
    "id" TEXT NOT NULL,
    "schemeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "weighting" DOUBLE PRECISION NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "SchemeSection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemeCriterion" (
    "id" TEXT NOT NULL,
    "sectionId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "SchemeCriterion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemeAspect" (
    "id" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "kind" "AspectKind" NOT NULL,
    "description" TEXT NOT NULL,
    "maxMark" DOUBLE PRECISION NOT NULL,
    "descriptors" JSONB,
    "measurement" JSONB,
    "position" INTEGER NOT NULL,

    CONSTRAINT "SchemeAspect_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemeMarker" (
    "schemeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchemeMarker_pkey" PRIMARY KEY ("schemeId","userId")
);

-- CreateTable
CREATE TABLE "Mark" (
    "id" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "aspectId" TEXT NOT NULL,
    "markerId" TEXT NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "score" INTEGER,
    "measured" DOUBLE PRECISION,
    "faults" INTEGER,
    "awarded" BOOLEAN,
    "value" DOUBLE PRECISION,
    "feedback" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MarkChange" (
    "id" TEXT NOT NULL,
    "markId" TEXT NOT NULL,
    "changedById" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MarkChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResultRelease" (
    "submissionId" TEXT NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "feedback" TEXT NOT NULL DEFAULT '',
    "releasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedById" TEXT NOT NULL,

    CONSTRAINT "ResultRelease_pkey" PRIMARY KEY ("submissionId")
);

-- CreateIndex
CREATE UNIQUE INDEX "MarkingScheme_lessonId_key" ON "MarkingScheme"("lessonId");

-- CreateIndex
CREATE INDEX "SchemeSection_schemeId_position_idx" ON "SchemeSection"("schemeId", "position");

-- CreateIndex
CREATE INDEX "SchemeCriterion_sectionId_position_idx" ON "SchemeCriterion"("sectionId", "position");

-- CreateIndex
CREATE INDEX "SchemeAspect_criterionId_position_idx" ON "SchemeAspect"("criterionId", "position");

-- CreateIndex
CREATE INDEX "SchemeMarker_userId_idx" ON "SchemeMarker"("userId");

-- CreateIndex
CREATE INDEX "Mark_markerId_idx" ON "Mark"("markerId");

-- CreateIndex
CREATE UNIQUE INDEX "Mark_submissionId_aspectId_markerId_round_key" ON "Mark"("submissionId", "aspectId", "markerId", "round");

-- CreateIndex
CREATE INDEX "MarkChange_markId_createdAt_idx" ON "MarkChange"("markId", "createdAt");

-- AddForeignKey
ALTER TABLE "MarkingScheme" ADD CONSTRAINT "MarkingScheme_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemeSection" ADD CONSTRAINT "SchemeSection_schemeId_fkey" FOREIGN KEY ("schemeId") REFERENCES "MarkingScheme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemeCriterion" ADD CONSTRAINT "SchemeCriterion_sectionId_fkey" FOREIGN KEY ("sectionId") REFERENCES "SchemeSection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemeAspect" ADD CONSTRAINT "SchemeAspect_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "SchemeCriterion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemeMarker" ADD CONSTRAINT "SchemeMarker_schemeId_fkey" FOREIGN KEY ("schemeId") REFERENCES "MarkingScheme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemeMarker" ADD CONSTRAINT "SchemeMarker_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mark" ADD CONSTRAINT "Mark_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "TaskSubmission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mark" ADD CONSTRAINT "Mark_aspectId_fkey" FOREIGN KEY ("aspectId") REFERENCES "SchemeAspect"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mark" ADD CONSTRAINT "Mark_markerId_fkey" FOREIGN KEY ("markerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarkChange" ADD CONSTRAINT "MarkChange_markId_fkey" FOREIGN KEY ("markId") REFERENCES "Mark"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarkChange" ADD CONSTRAINT "MarkChange_changedById_fkey" FOREIGN KEY ("changedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResultRelease" ADD CONSTRAINT "ResultRelease_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "TaskSubmission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResultRelease" ADD CONSTRAINT "ResultRelease_releasedById_fkey" FOREIGN KEY ("releasedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
