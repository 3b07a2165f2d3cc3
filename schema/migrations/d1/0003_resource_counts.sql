CREATE TABLE `resource_counts` (
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`region` text NOT NULL,
	`type` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`provider`, `account`, `region`, `type`)
);
--> statement-breakpoint
DROP INDEX `resources_job_idx`;--> statement-breakpoint
CREATE INDEX `resources_type_idx` ON `resources` (`type`,`resource_key`);--> statement-breakpoint
CREATE INDEX `resources_account_idx` ON `resources` (`account`,`resource_key`);--> statement-breakpoint
CREATE INDEX `resources_job_idx` ON `resources` (`last_seen_job`,`resource_key`);