CREATE TABLE "state_sources" (
	"source_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"location" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"account" text COLLATE "C" NOT NULL,
	"schedule" text COLLATE "C",
	"replace_other_lineage" boolean DEFAULT false NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"next_read_at" timestamp(3) with time zone,
	"lease_id" text COLLATE "C",
	"lease_expires_at" timestamp(3) with time zone,
	"agent_id" text COLLATE "C",
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_read" jsonb
);
--> statement-breakpoint
CREATE INDEX "state_sources_due_idx" ON "state_sources" USING btree ("provider","account","next_read_at");