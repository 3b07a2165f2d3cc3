ALTER TABLE "job_resources" ADD COLUMN "slot" integer;--> statement-breakpoint
ALTER TABLE "state_instances" ADD COLUMN "slot" integer;--> statement-breakpoint
CREATE INDEX "job_resources_slot_idx" ON "job_resources" USING btree ("job_id","account","slot","resource_key");--> statement-breakpoint
CREATE INDEX "state_instances_slot_idx" ON "state_instances" USING btree ("state_id","slot");