DROP INDEX "measurements_series_idx";--> statement-breakpoint
CREATE INDEX "measurements_series_idx" ON "measurements" USING btree ("org_id","metric_id","scope_type","scope_id","period_end","period_start");
