CREATE TABLE `api_tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`role` text NOT NULL,
	`tenant_id` text,
	`provider` text,
	`accounts` text,
	`require_proof` integer DEFAULT false NOT NULL,
	`description` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`audit_id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`method` text NOT NULL,
	`route` text NOT NULL,
	`target` text,
	`status` integer NOT NULL
);
