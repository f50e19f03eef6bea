ALTER TABLE "metrics" ADD COLUMN "closed_through" date;
