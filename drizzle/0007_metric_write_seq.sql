ALTER TABLE "metrics" ADD COLUMN "write_seq" bigint DEFAULT 0 NOT NULL;
