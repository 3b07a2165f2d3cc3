CREATE TABLE "notification_deliveries" (
	"notification_id" text COLLATE "C" NOT NULL,
	"job_id" text COLLATE "C" NOT NULL,
	"delivered_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "notification_deliveries_notification_id_job_id_pk" PRIMARY KEY("notification_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"notification_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"url" text COLLATE "C" NOT NULL,
	"min_severity" text COLLATE "C" NOT NULL,
	"secret" text COLLATE "C",
	"created_at" timestamp(3) with time zone NOT NULL
);
