CREATE TABLE "drift_acks" (
	"resource_key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"until" timestamp(3) with time zone,
	"change_fingerprint" text COLLATE "C" NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_tracks" (
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"item_key" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"tf_type" text COLLATE "C" NOT NULL,
	"cloud_type" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C",
	"first_seen_job" text COLLATE "C" NOT NULL,
	"first_seen_at" timestamp(3) with time zone NOT NULL,
	"last_seen_job" text COLLATE "C" NOT NULL,
	"last_seen_at" timestamp(3) with time zone NOT NULL,
	"resolved_job" text COLLATE "C",
	"resolved_at" timestamp(3) with time zone,
	"change_fingerprint" text COLLATE "C" NOT NULL,
	"item" jsonb NOT NULL,
	CONSTRAINT "drift_tracks_provider_account_item_key_pk" PRIMARY KEY("provider","account","item_key")
);
--> statement-breakpoint
CREATE TABLE "job_resources" (
	"job_id" text COLLATE "C" NOT NULL,
	"resource_key" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"resource_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C",
	"attributes" jsonb NOT NULL,
	"tags" jsonb NOT NULL,
	"seen_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "job_resources_job_id_resource_key_pk" PRIMARY KEY("job_id","resource_key")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "schedule_id" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "drift_tracks_resolved_idx" ON "drift_tracks" USING btree ("resolved_job","item_key");--> statement-breakpoint
CREATE INDEX "job_resources_account_idx" ON "job_resources" USING btree ("job_id","account","resource_key");--> statement-breakpoint
CREATE INDEX "jobs_schedule_idx" ON "jobs" USING btree ("schedule_id","created_at");