-- CreateEnum
CREATE TYPE "LivePollKind" AS ENUM ('single', 'multiple', 'true_false', 'short');

-- CreateEnum
CREATE TYPE "LivePollStatus" AS ENUM ('open', 'closed', 'released');

-- CreateTable
CREATE TABLE "LivePoll" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "kind" "LivePollKind" NOT NULL,
    "options" TEXT[],
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "status" "LivePollStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),

    CONSTRAINT "LivePoll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LivePollAnswer" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "choices" INTEGER[],
    "text" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LivePollAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LivePoll_sessionId_createdAt_idx" ON "LivePoll"("sessionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LivePollAnswer_pollId_userId_key" ON "LivePollAnswer"("pollId", "userId");

-- AddForeignKey
ALTER TABLE "LivePoll" ADD CONSTRAINT "LivePoll_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LivePoll" ADD CONSTRAINT "LivePoll_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LivePollAnswer" ADD CONSTRAINT "LivePollAnswer_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "LivePoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LivePollAnswer" ADD CONSTRAINT "LivePollAnswer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
