-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('pending', 'approved', 'rejected');

-- AlterTable
ALTER TABLE "ExpertProfile" ADD COLUMN     "competitionRecord" JSONB;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "rejectedAt" TIMESTAMP(3),
ADD COLUMN     "rejectionReason" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ExpertApplication" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "competitionRecord" JSONB NOT NULL,
    "currentWork" TEXT NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExpertApplication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExpertApplication_status_createdAt_idx" ON "ExpertApplication"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ExpertApplication_userId_idx" ON "ExpertApplication"("userId");

-- AddForeignKey
ALTER TABLE "ExpertApplication" ADD CONSTRAINT "ExpertApplication_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
