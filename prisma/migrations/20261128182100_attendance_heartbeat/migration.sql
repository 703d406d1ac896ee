-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "lastSeenAt" TIMESTAMP(3);
