-- A mock competition can be called off by its creator before its results are released.
ALTER TABLE "Competition" ADD COLUMN "cancelledAt" TIMESTAMP(3),
ADD COLUMN "cancelReason" TEXT NOT NULL DEFAULT '';
