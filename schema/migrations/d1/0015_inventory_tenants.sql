PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_resource_counts` (
	`tenant_id` text DEFAULT 'default' NOT NULL,
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`region` text NOT NULL,
	`type` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `account`, `region`, `type`)
);
--> statement-breakpoint
INSERT INTO `__new_resource_counts`("tenant_id", "provider", "account", "region", "type", "count") SELECT 'default', "provider", "account", "region", "type", "count" FROM `resource_counts`;--> statement-breakpoint
DROP TABLE `resource_counts`;--> statement-breakpoint
ALTER TABLE `__new_resource_counts` RENAME TO `resource_counts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_resources` (
	`tenant_id` text DEFAULT 'default' NOT NULL,
	`resource_key` text NOT NULL,
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
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_key`)
);
--> statement-breakpoint
INSERT INTO `__new_resources`("tenant_id", "resource_key", "provider", "account", "region", "type", "resource_id", "name", "attributes", "tags", "first_seen_job", "last_seen_job", "last_seen_at") SELECT 'default', "resource_key", "provider", "account", "region", "type", "resource_id", "name", "attributes", "tags", "first_seen_job", "last_seen_job", "last_seen_at" FROM `resources`;--> statement-breakpoint
DROP TABLE `resources`;--> statement-breakpoint
ALTER TABLE `__new_resources` RENAME TO `resources`;--> statement-breakpoint
CREATE INDEX `resources_scope_idx` ON `resources` (`provider`,`account`,`region`,`type`);--> statement-breakpoint
CREATE INDEX `resources_job_idx` ON `resources` (`last_seen_job`,`resource_key`);--> statement-breakpoint
CREATE INDEX `resources_type_idx` ON `resources` (`type`,`resource_key`);--> statement-breakpoint
CREATE INDEX `resources_account_idx` ON `resources` (`account`,`resource_key`);