CREATE TABLE "imports" (
	"import_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"workspace" text COLLATE "C" NOT NULL,
	"replace" boolean NOT NULL,
	"files" jsonb NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"finished_at" timestamp(3) with time zone,
	"result" jsonb,
	"error" jsonb
);
