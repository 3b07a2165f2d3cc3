CREATE TABLE "api_tokens" (
	"token_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"secret_hash" text COLLATE "C" NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"tenant_id" text COLLATE "C",
	"provider" text COLLATE "C",
	"accounts" jsonb,
	"require_proof" boolean DEFAULT false NOT NULL,
	"description" text COLLATE "C",
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"expires_at" timestamp(3) with time zone,
	"revoked_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"audit_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"actor" text COLLATE "C" NOT NULL,
	"method" text COLLATE "C" NOT NULL,
	"route" text COLLATE "C" NOT NULL,
	"target" text COLLATE "C",
	"status" integer NOT NULL
);
