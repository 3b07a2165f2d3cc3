ALTER TABLE "state_instances" ADD COLUMN "account" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "state_instances_account_idx" ON "state_instances" USING btree ("account");