CREATE TABLE "alignments" (
	"org_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"weight" double precision DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alignments_org_id_child_id_parent_id_pk" PRIMARY KEY("org_id","child_id","parent_id")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"org_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_org_id_seq_pk" PRIMARY KEY("org_id","seq")
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"check_in_date" date NOT NULL,
	"value" double precision,
	"confidence" integer NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"blockers" text DEFAULT '' NOT NULL,
	"measurement_id" uuid,
	"milestone_done" boolean,
	"rubric_level" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_ins_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "cycles" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"phase" text DEFAULT 'planning' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cycles_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "goal_contributors" (
	"org_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"share" double precision NOT NULL,
	CONSTRAINT "goal_contributors_org_id_goal_id_person_id_pk" PRIMARY KEY("org_id","goal_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "goal_progress" (
	"org_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"attainment" double precision,
	"expected" double precision NOT NULL,
	"pace" double precision,
	"status" text NOT NULL,
	"score" double precision,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "goal_progress_org_id_goal_id_pk" PRIMARY KEY("org_id","goal_id")
);
--> statement-breakpoint
CREATE TABLE "goal_versions" (
	"org_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "goal_versions_org_id_goal_id_version_pk" PRIMARY KEY("org_id","goal_id","version")
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"title" text NOT NULL,
	"specific_outcome" text DEFAULT '' NOT NULL,
	"owner_id" uuid NOT NULL,
	"level" text NOT NULL,
	"unit_id" uuid,
	"kind" text NOT NULL,
	"metric_id" uuid,
	"scope_type" text DEFAULT 'org' NOT NULL,
	"scope_id" uuid,
	"baseline_value" double precision,
	"baseline_period" text,
	"target_value" double precision,
	"stretch_value" double precision,
	"threshold_value" double precision,
	"range_min" double precision,
	"range_max" double precision,
	"rubric_levels" integer,
	"start_date" date NOT NULL,
	"due_date" date NOT NULL,
	"checkpoints" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_cadence" text DEFAULT 'monthly' NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"risk_assumptions" text DEFAULT '' NOT NULL,
	"rollup_mode" text DEFAULT 'weighted_mean' NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"smart_override_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"route" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_org_id_actor_id_key_pk" PRIMARY KEY("org_id","actor_id","key")
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"supersedes_id" uuid,
	"source" text DEFAULT 'api' NOT NULL,
	"batch_id" uuid,
	"provisional" boolean DEFAULT false NOT NULL,
	"validation_state" text DEFAULT 'accepted' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "measurements_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"unit" text NOT NULL,
	"currency_code" text,
	"direction" text NOT NULL,
	"indicator_type" text NOT NULL,
	"aggregation" text NOT NULL,
	"period" text DEFAULT 'month' NOT NULL,
	"calculation" text DEFAULT 'manual' NOT NULL,
	"formula" text,
	"baseline_period" text,
	"data_source" text DEFAULT '' NOT NULL,
	"calculation_note" text DEFAULT '' NOT NULL,
	"refresh_cadence" text DEFAULT 'monthly' NOT NULL,
	"steward_id" uuid,
	"finality_lag_days" integer DEFAULT 0 NOT NULL,
	"validation_rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metrics_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "org_units" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"head_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_units_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"fiscal_year_start_month" integer DEFAULT 1 NOT NULL,
	"locale" text DEFAULT 'en-GB' NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"policy" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"audit_seq" bigint DEFAULT 0 NOT NULL,
	"audit_head" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"unit_id" uuid,
	"manager_id" uuid,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"org_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_org_id_token_hash_pk" PRIMARY KEY("org_id","token_hash")
);
--> statement-breakpoint
ALTER TABLE "alignments" ADD CONSTRAINT "alignments_org_id_child_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","child_id") REFERENCES "public"."goals"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alignments" ADD CONSTRAINT "alignments_org_id_parent_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."goals"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_contributors" ADD CONSTRAINT "goal_contributors_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_contributors" ADD CONSTRAINT "goal_contributors_org_id_person_id_people_org_id_id_fk" FOREIGN KEY ("org_id","person_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_versions" ADD CONSTRAINT "goal_versions_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_org_id_cycle_id_cycles_org_id_id_fk" FOREIGN KEY ("org_id","cycle_id") REFERENCES "public"."cycles"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_org_id_owner_id_people_org_id_id_fk" FOREIGN KEY ("org_id","owner_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_org_id_metric_id_metrics_org_id_id_fk" FOREIGN KEY ("org_id","metric_id") REFERENCES "public"."metrics"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_org_id_metric_id_metrics_org_id_id_fk" FOREIGN KEY ("org_id","metric_id") REFERENCES "public"."metrics"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_org_id_steward_id_people_org_id_id_fk" FOREIGN KEY ("org_id","steward_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_org_id_parent_id_org_units_org_id_id_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."org_units"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_id_unit_id_org_units_org_id_id_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."org_units"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_id_manager_id_people_org_id_id_fk" FOREIGN KEY ("org_id","manager_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_org_id_person_id_people_org_id_id_fk" FOREIGN KEY ("org_id","person_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alignments_parent_idx" ON "alignments" USING btree ("org_id","parent_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("org_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "check_ins_goal_idx" ON "check_ins" USING btree ("org_id","goal_id","check_in_date");--> statement-breakpoint
CREATE INDEX "goal_contributors_person_idx" ON "goal_contributors" USING btree ("org_id","person_id");--> statement-breakpoint
CREATE INDEX "goal_progress_status_idx" ON "goal_progress" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "goals_cycle_idx" ON "goals" USING btree ("org_id","cycle_id","id");--> statement-breakpoint
CREATE INDEX "goals_owner_idx" ON "goals" USING btree ("org_id","owner_id");--> statement-breakpoint
CREATE INDEX "goals_metric_idx" ON "goals" USING btree ("org_id","metric_id");--> statement-breakpoint
CREATE INDEX "measurements_series_idx" ON "measurements" USING btree ("org_id","metric_id","scope_type","scope_id","period_end");--> statement-breakpoint
CREATE UNIQUE INDEX "metrics_key_idx" ON "metrics" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "org_units_parent_idx" ON "org_units" USING btree ("org_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_idx" ON "people" USING btree ("org_id",lower("email"));--> statement-breakpoint
CREATE INDEX "people_email_lookup_idx" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "people_manager_idx" ON "people" USING btree ("org_id","manager_id");--> statement-breakpoint
CREATE INDEX "people_unit_idx" ON "people" USING btree ("org_id","unit_id");