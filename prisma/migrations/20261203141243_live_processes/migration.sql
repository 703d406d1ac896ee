-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "processId" TEXT;

-- AlterTable
ALTER TABLE "Recording" ADD COLUMN     "processId" TEXT;

-- CreateTable
CREATE TABLE "LiveProcess" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveProcess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LiveProcess_heartbeatAt_idx" ON "LiveProcess"("heartbeatAt");

-- CreateIndex
CREATE INDEX "Attendance_processId_leftAt_idx" ON "Attendance"("processId", "leftAt");
