CREATE TABLE `imports` (
	`import_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`workspace` text NOT NULL,
	`replace` integer NOT NULL,
	`files` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	`result` text,
	`error` text
);
