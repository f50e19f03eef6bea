CREATE TABLE "data_sources" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"secret" text,
	"metric_ids" jsonb NOT NULL,
	"schedule" jsonb,
	"stale_after_minutes" integer NOT NULL,
	"steward_id" uuid NOT NULL,
	"backup_source_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"using_backup" boolean DEFAULT false NOT NULL,
	"next_run_at" timestamp with time zone,
	"running_since" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_rows" integer,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "data_sources_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "data_source_runs" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"fed" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"quarantined" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"error" text,
	"note" text,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "data_source_runs_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "data_source_readings" (
	"org_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"run_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "data_source_readings_pk" PRIMARY KEY("org_id","source_id","metric_id","scope_type","scope_id","period_start","period_end")
);
--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_org_id_steward_id_people_org_id_id_fk" FOREIGN KEY ("org_id","steward_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_source_runs" ADD CONSTRAINT "data_source_runs_org_id_source_id_data_sources_org_id_id_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."data_sources"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_source_readings" ADD CONSTRAINT "data_source_readings_org_id_source_id_data_sources_org_id_id_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."data_sources"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "data_sources_name_idx" ON "data_sources" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "data_sources_due_idx" ON "data_sources" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "data_source_runs_source_idx" ON "data_source_runs" USING btree ("org_id","source_id","id");
