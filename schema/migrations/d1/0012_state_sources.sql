CREATE TABLE `state_sources` (
	`source_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`location` text NOT NULL,
	`provider` text NOT NULL,
	`account` text NOT NULL,
	`schedule` text,
	`replace_other_lineage` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`next_read_at` text,
	`lease_id` text,
	`lease_expires_at` text,
	`agent_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_read` text
);
--> statement-breakpoint
CREATE INDEX `state_sources_due_idx` ON `state_sources` (`provider`,`account`,`next_read_at`);