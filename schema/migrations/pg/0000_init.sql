CREATE TABLE "agents" (
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"agent_id" text COLLATE "C" NOT NULL,
	"last_seen_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "agents_provider_account_agent_id_pk" PRIMARY KEY("provider","account","agent_id")
);
--> statement-breakpoint
CREATE TABLE "analyses" (
	"job_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"mode" text COLLATE "C" NOT NULL,
	"summary" jsonb NOT NULL,
	"duplicates" jsonb NOT NULL,
	"completed_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"message_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"queue" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"body" jsonb NOT NULL,
	"received_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_items" (
	"job_id" text COLLATE "C" NOT NULL,
	"seq" integer NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"severity" text COLLATE "C" NOT NULL,
	"score" double precision NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C",
	"region" text COLLATE "C",
	"tf_type" text COLLATE "C" NOT NULL,
	"cloud_type" text COLLATE "C" NOT NULL,
	"address" text COLLATE "C" NOT NULL,
	"resource_id" text COLLATE "C" NOT NULL,
	"body" jsonb NOT NULL,
	CONSTRAINT "drift_items_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "job_accounts" (
	"job_id" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	CONSTRAINT "job_accounts_job_id_account_pk" PRIMARY KEY("job_id","account")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"job_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"accounts" jsonb NOT NULL,
	"regions" jsonb NOT NULL,
	"resource_types" jsonb NOT NULL,
	"mode" text COLLATE "C" NOT NULL,
	"sharding_type" text COLLATE "C" NOT NULL,
	"shard_size" integer NOT NULL,
	"shards_total" integer DEFAULT 0 NOT NULL,
	"shards_succeeded" integer DEFAULT 0 NOT NULL,
	"shards_failed" integer DEFAULT 0 NOT NULL,
	"resources_discovered" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"finished_at" timestamp(3) with time zone,
	"error" text COLLATE "C"
);
--> statement-breakpoint
CREATE TABLE "resource_counts" (
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "resource_counts_provider_account_region_type_pk" PRIMARY KEY("provider","account","region","type")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"resource_key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"resource_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C",
	"attributes" jsonb NOT NULL,
	"tags" jsonb NOT NULL,
	"first_seen_job" text COLLATE "C" NOT NULL,
	"last_seen_job" text COLLATE "C" NOT NULL,
	"last_seen_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "state_instances" (
	"state_id" text COLLATE "C" NOT NULL,
	"seq" integer NOT NULL,
	"tf_type" text COLLATE "C" NOT NULL,
	"address" text COLLATE "C" NOT NULL,
	"body" jsonb NOT NULL,
	CONSTRAINT "state_instances_state_id_seq_pk" PRIMARY KEY("state_id","seq")
);
--> statement-breakpoint
CREATE TABLE "states" (
	"state_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"workspace" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"version" integer NOT NULL,
	"terraform_version" text COLLATE "C",
	"serial" bigint,
	"lineage" text COLLATE "C",
	"instances" integer NOT NULL,
	"data_sources_skipped" integer NOT NULL,
	"imported_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analyses_completed_idx" ON "analyses" USING btree ("provider","completed_at");--> statement-breakpoint
CREATE INDEX "analyses_completed_at_idx" ON "analyses" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "drift_items_kind_idx" ON "drift_items" USING btree ("job_id","kind","seq");--> statement-breakpoint
CREATE INDEX "drift_items_severity_idx" ON "drift_items" USING btree ("job_id","severity","seq");--> statement-breakpoint
CREATE INDEX "job_accounts_account_idx" ON "job_accounts" USING btree ("provider","account");--> statement-breakpoint
CREATE INDEX "jobs_created_idx" ON "jobs" USING btree ("created_at","job_id");--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status","provider");--> statement-breakpoint
CREATE INDEX "resources_scope_idx" ON "resources" USING btree ("provider","account","region","type");--> statement-breakpoint
CREATE INDEX "resources_job_idx" ON "resources" USING btree ("last_seen_job","resource_key");--> statement-breakpoint
CREATE INDEX "resources_type_idx" ON "resources" USING btree ("type","resource_key");--> statement-breakpoint
CREATE INDEX "resources_account_idx" ON "resources" USING btree ("account","resource_key");--> statement-breakpoint
CREATE INDEX "states_active_idx" ON "states" USING btree ("status","workspace","name");