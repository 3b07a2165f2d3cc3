CREATE TABLE `notification_deliveries` (
	`notification_id` text NOT NULL,
	`job_id` text NOT NULL,
	`delivered_at` text NOT NULL,
	PRIMARY KEY(`notification_id`, `job_id`)
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`notification_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`url` text NOT NULL,
	`min_severity` text NOT NULL,
	`secret` text,
	`created_at` text NOT NULL
);
