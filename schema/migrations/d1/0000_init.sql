CREATE TABLE `agents` (
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`agent_id` text NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`provider`, `account`, `agent_id`)
);
--> statement-breakpoint
CREATE TABLE `job_accounts` (
	`job_id` text NOT NULL,
	`provider` text NOT NULL,
	`account` text NOT NULL,
	PRIMARY KEY(`job_id`, `account`)
);
--> statement-breakpoint
CREATE INDEX `job_accounts_account_idx` ON `job_accounts` (`provider`,`account`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`job_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`accounts` text NOT NULL,
	`regions` text NOT NULL,
	`resource_types` text NOT NULL,
	`mode` text NOT NULL,
	`sharding_type` text NOT NULL,
	`shard_size` integer NOT NULL,
	`shards_total` integer DEFAULT 0 NOT NULL,
	`shards_succeeded` integer DEFAULT 0 NOT NULL,
	`shards_failed` integer DEFAULT 0 NOT NULL,
	`resources_discovered` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `jobs_created_idx` ON `jobs` (`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`,`provider`);--> statement-breakpoint
CREATE TABLE `resources` (
	`resource_key` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`region` text NOT NULL,
	`type` text NOT NULL,
	`resource_id` text NOT NULL,
	`name` text,
	`attributes` text NOT NULL,
	`tags` text NOT NULL,
	`first_seen_job` text NOT NULL,
	`last_seen_job` text NOT NULL,
	`last_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `resources_scope_idx` ON `resources` (`provider`,`account`,`region`,`type`);--> statement-breakpoint
CREATE INDEX `resources_job_idx` ON `resources` (`last_seen_job`);