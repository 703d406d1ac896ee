-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "address" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "appliedAt" TIMESTAMP(3),
ADD COLUMN     "contactName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "contactPhone" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "documentId" TEXT,
ADD COLUMN     "licenceNumber" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "regionCode" TEXT;

-- CreateIndex
CREATE INDEX "Organization_appliedAt_idx" ON "Organization"("appliedAt");

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Asset"("id") ON DELETE SET NULL ON UPDATE CASCADE;
