CREATE TABLE "missing_data_alerts" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"last_period_end" date NOT NULL,
	"missing_since" date NOT NULL,
	"periods_missing" integer NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	CONSTRAINT "missing_data_alerts_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "missing_data_checks" (
	"org_id" uuid NOT NULL,
	"checked_on" date NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "missing_data_checks_org_id_pk" PRIMARY KEY("org_id")
);
--> statement-breakpoint
ALTER TABLE "missing_data_alerts" ADD CONSTRAINT "missing_data_alerts_org_id_metric_id_metrics_org_id_id_fk" FOREIGN KEY ("org_id","metric_id") REFERENCES "public"."metrics"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missing_data_checks" ADD CONSTRAINT "missing_data_checks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "missing_data_alerts_open_idx" ON "missing_data_alerts" USING btree ("org_id","metric_id","scope_type","scope_id") WHERE "missing_data_alerts"."resolved_at" is null;
