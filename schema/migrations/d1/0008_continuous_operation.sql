CREATE TABLE `drift_acks` (
	`resource_key` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`until` text,
	`change_fingerprint` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `drift_tracks` (
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`item_key` text NOT NULL,
	`kind` text NOT NULL,
	`tf_type` text NOT NULL,
	`cloud_type` text NOT NULL,
	`region` text,
	`first_seen_job` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_job` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`resolved_job` text,
	`resolved_at` text,
	`change_fingerprint` text NOT NULL,
	`item` text NOT NULL,
	PRIMARY KEY(`provider`, `account`, `item_key`)
);
--> statement-breakpoint
CREATE INDEX `drift_tracks_resolved_idx` ON `drift_tracks` (`resolved_job`,`item_key`);--> statement-breakpoint
CREATE TABLE `job_resources` (
	`job_id` text NOT NULL,
	`resource_key` text NOT NULL,
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`region` text NOT NULL,
	`type` text NOT NULL,
	`resource_id` text NOT NULL,
	`name` text,
	`attributes` text NOT NULL,
	`tags` text NOT NULL,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `resource_key`)
);
--> statement-breakpoint
CREATE INDEX `job_resources_account_idx` ON `job_resources` (`job_id`,`account`,`resource_key`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `schedule_id` text;--> statement-breakpoint
CREATE INDEX `jobs_schedule_idx` ON `jobs` (`schedule_id`,`created_at`);