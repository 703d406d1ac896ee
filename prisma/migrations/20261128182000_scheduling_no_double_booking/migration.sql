-- Scheduling: no double booking, enforced by the database. Prisma schema language cannot
-- express these rules, so they are triggers written by hand (prisma migrate diff ignores
-- triggers and functions). A GiST exclusion constraint would be the textbook tool, but
-- the WebAssembly schema engine of Prisma 6.19 crashes introspecting one (that would break
-- npm run db:new-migration for everyone). A trigger under an advisory lock is equivalent.
--
-- NOTE: the pg driver adapter applies a migration by splitting it at every semicolon, so
-- this file has none except between statements: the PL/pgSQL bodies are E-strings with
-- \x3b standing for each semicolon (PostgreSQL turns it back before compiling the body).

-- 1. A host never has two overlapping sessions that came from booking (sessionTypeId set),
--    cancelled ones aside. Ad-hoc live sessions (no session type) are outside the rule.
--    Inserts and time changes for one host queue on a transaction-scoped advisory lock, so
--    the later transaction sees the row the earlier one committed. The booking code
--    takes the same lock first (it also checks buffers and the daily limit under it).
CREATE FUNCTION skillrelay_session_overlap_guard() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW.status = ''cancelled'' OR NEW."sessionTypeId" IS NULL THEN
    RETURN NEW\x3b
  END IF\x3b
  IF NEW."endsAt" <= NEW."startsAt" THEN
    RAISE EXCEPTION ''session_time_invalid: a session must end after it starts''
      USING ERRCODE = ''check_violation''\x3b
  END IF\x3b
  PERFORM pg_advisory_xact_lock(hashtextextended(''skillrelay:host:'' || NEW."hostId", 0))\x3b
  IF EXISTS (
    SELECT 1 FROM "LiveSession" s
    WHERE s."hostId" = NEW."hostId"
      AND s.id <> NEW.id
      AND s.status <> ''cancelled''
      AND s."sessionTypeId" IS NOT NULL
      AND s."startsAt" < NEW."endsAt"
      AND NEW."startsAt" < s."endsAt"
  ) THEN
    RAISE EXCEPTION ''session_overlap: host % already has a session at that time'', NEW."hostId"
      USING ERRCODE = ''exclusion_violation''\x3b
  END IF\x3b
  RETURN NEW\x3b
END
';

CREATE TRIGGER "LiveSession_overlap_guard"
  BEFORE INSERT OR UPDATE OF "startsAt", "endsAt", status, "hostId", "sessionTypeId" ON "LiveSession"
  FOR EACH ROW EXECUTE FUNCTION skillrelay_session_overlap_guard();

-- 2. A session never has more confirmed bookings than its capacity: every insert (or
--    re-confirmation) locks the session row, so concurrent bookings of the last seat queue
--    up and the later ones see the rows of the earlier ones (each statement of a volatile
--    PL/pgSQL function takes a fresh snapshot under READ COMMITTED).
CREATE FUNCTION skillrelay_booking_capacity_guard() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  cap integer\x3b
  taken integer\x3b
BEGIN
  IF NEW.status <> ''confirmed'' THEN
    RETURN NEW\x3b
  END IF\x3b
  IF TG_OP = ''UPDATE'' AND OLD.status = ''confirmed'' AND OLD."sessionId" = NEW."sessionId" THEN
    RETURN NEW\x3b
  END IF\x3b
  SELECT capacity INTO cap FROM "LiveSession" WHERE id = NEW."sessionId" FOR UPDATE\x3b
  SELECT count(*) INTO taken FROM "Booking"
    WHERE "sessionId" = NEW."sessionId" AND status = ''confirmed'' AND id <> NEW.id\x3b
  IF taken >= cap THEN
    RAISE EXCEPTION ''booking_capacity_exceeded: session % is full'', NEW."sessionId"
      USING ERRCODE = ''check_violation''\x3b
  END IF\x3b
  RETURN NEW\x3b
END
';

CREATE TRIGGER "Booking_capacity_guard"
  BEFORE INSERT OR UPDATE OF status, "sessionId" ON "Booking"
  FOR EACH ROW EXECUTE FUNCTION skillrelay_booking_capacity_guard();

-- Reminder jobs are claimed by due time among the unsent ones.
CREATE INDEX "ReminderJob_due_unsent" ON "ReminderJob" ("dueAt") WHERE "sentAt" IS NULL;
