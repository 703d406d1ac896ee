-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "documentOfApplicationId" TEXT,
ADD COLUMN     "imageOfArticleId" TEXT;

-- CreateIndex
CREATE INDEX "Asset_documentOfApplicationId_idx" ON "Asset"("documentOfApplicationId");

-- CreateIndex
CREATE INDEX "Asset_imageOfArticleId_idx" ON "Asset"("imageOfArticleId");

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_documentOfApplicationId_fkey" FOREIGN KEY ("documentOfApplicationId") REFERENCES "ExpertApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_imageOfArticleId_fkey" FOREIGN KEY ("imageOfArticleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;
