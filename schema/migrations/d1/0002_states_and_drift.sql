CREATE TABLE `analyses` (
	`job_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`mode` text NOT NULL,
	`summary` text NOT NULL,
	`duplicates` text NOT NULL,
	`completed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analyses_completed_idx` ON `analyses` (`provider`,`completed_at`);--> statement-breakpoint
CREATE TABLE `drift_items` (
	`job_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`score` integer NOT NULL,
	`provider` text NOT NULL,
	`account` text,
	`region` text,
	`tf_type` text NOT NULL,
	`cloud_type` text NOT NULL,
	`address` text NOT NULL,
	`resource_id` text NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`job_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `drift_items_kind_idx` ON `drift_items` (`job_id`,`kind`,`seq`);--> statement-breakpoint
CREATE INDEX `drift_items_severity_idx` ON `drift_items` (`job_id`,`severity`,`seq`);--> statement-breakpoint
CREATE TABLE `state_instances` (
	`state_id` text NOT NULL,
	`seq` integer NOT NULL,
	`tf_type` text NOT NULL,
	`address` text NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`state_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `states` (
	`state_id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`terraform_version` text,
	`serial` integer,
	`lineage` text,
	`instances` integer NOT NULL,
	`data_sources_skipped` integer NOT NULL,
	`imported_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `states_active_idx` ON `states` (`status`,`workspace`,`name`);