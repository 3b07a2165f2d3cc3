CREATE TABLE `tenants` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_name_unique` ON `tenants` (`name`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_agents` (
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`agent_id` text NOT NULL,
	`tenant_id` text DEFAULT 'default' NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `account`, `agent_id`)
);
--> statement-breakpoint
INSERT INTO `__new_agents`("provider", "account", "agent_id", "tenant_id", "last_seen_at") SELECT "provider", "account", "agent_id", 'default', "last_seen_at" FROM `agents`;--> statement-breakpoint
DROP TABLE `agents`;--> statement-breakpoint
ALTER TABLE `__new_agents` RENAME TO `agents`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `imports` ADD `tenant_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `tenant_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_tenant_idx` ON `jobs` (`tenant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `tenant_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `state_sources` ADD `tenant_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `states` ADD `tenant_id` text DEFAULT 'default' NOT NULL;