-- AlterTable
ALTER TABLE "LiveSession" ADD COLUMN     "boardBlank" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "boardDrawers" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "boardOpen" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "boardPage" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "LiveBoardOp" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "page" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "LiveBoardOp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LiveBoardOp_sessionId_page_id_idx" ON "LiveBoardOp"("sessionId", "page", "id");

-- CreateIndex
CREATE INDEX "LiveBoardOp_sessionId_userId_id_idx" ON "LiveBoardOp"("sessionId", "userId", "id");

-- AddForeignKey
ALTER TABLE "LiveBoardOp" ADD CONSTRAINT "LiveBoardOp_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveBoardOp" ADD CONSTRAINT "LiveBoardOp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
