CREATE TABLE "measurement_findings" (
	"org_id" uuid NOT NULL,
	"measurement_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"outcome" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "measurement_findings_org_id_measurement_id_rule_pk" PRIMARY KEY("org_id","measurement_id","rule")
);
--> statement-breakpoint
CREATE TABLE "measurement_reviews" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"measurement_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"reviewed_by" uuid NOT NULL,
	"reviewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "measurement_reviews_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "measurement_findings" ADD CONSTRAINT "measurement_findings_org_id_measurement_id_measurements_org_id_id_fk" FOREIGN KEY ("org_id","measurement_id") REFERENCES "public"."measurements"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurement_reviews" ADD CONSTRAINT "measurement_reviews_org_id_measurement_id_measurements_org_id_id_fk" FOREIGN KEY ("org_id","measurement_id") REFERENCES "public"."measurements"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurement_reviews" ADD CONSTRAINT "measurement_reviews_org_id_reviewed_by_people_org_id_id_fk" FOREIGN KEY ("org_id","reviewed_by") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "measurement_reviews_measurement_idx" ON "measurement_reviews" USING btree ("org_id","measurement_id");--> statement-breakpoint
CREATE INDEX "measurements_quarantined_idx" ON "measurements" USING btree ("org_id","id") WHERE "measurements"."validation_state" = 'quarantined';
