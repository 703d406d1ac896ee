-- A success story can link the person's released competition result, its certificate (decision 034).
-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "resultCertificateId" TEXT;

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_resultCertificateId_fkey" FOREIGN KEY ("resultCertificateId") REFERENCES "Certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;
