-- AlterTable
ALTER TABLE "LiveSession" ADD COLUMN     "emptySince" TIMESTAMP(3);
