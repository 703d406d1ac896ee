-- CreateEnum
CREATE TYPE "SubmissionFileKind" AS ENUM ('photo', 'video', 'file');

-- CreateTable
CREATE TABLE "SubmissionFile" (
    "id" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "assetId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "SubmissionFileKind" NOT NULL,

    CONSTRAINT "SubmissionFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandInUpload" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "assetId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "HandInUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SubmissionFile_assetId_idx" ON "SubmissionFile"("assetId");

-- CreateIndex
CREATE UNIQUE INDEX "SubmissionFile_submissionId_position_key" ON "SubmissionFile"("submissionId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "HandInUpload_assetId_key" ON "HandInUpload"("assetId");

-- CreateIndex
CREATE INDEX "HandInUpload_userId_lessonId_idx" ON "HandInUpload"("userId", "lessonId");

-- CreateIndex
CREATE INDEX "HandInUpload_createdAt_idx" ON "HandInUpload"("createdAt");

-- AddForeignKey
ALTER TABLE "SubmissionFile" ADD CONSTRAINT "SubmissionFile_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "TaskSubmission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubmissionFile" ADD CONSTRAINT "SubmissionFile_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandInUpload" ADD CONSTRAINT "HandInUpload_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandInUpload" ADD CONSTRAINT "HandInUpload_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandInUpload" ADD CONSTRAINT "HandInUpload_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE SET NULL ON UPDATE CASCADE;
