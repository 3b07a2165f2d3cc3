PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_drift_tracks` (
	`tenant_id` text DEFAULT 'default' NOT NULL,
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
	PRIMARY KEY(`tenant_id`, `provider`, `account`, `item_key`)
);
--> statement-breakpoint
INSERT INTO `__new_drift_tracks`("tenant_id", "provider", "account", "item_key", "kind", "tf_type", "cloud_type", "region", "first_seen_job", "first_seen_at", "last_seen_job", "last_seen_at", "resolved_job", "resolved_at", "change_fingerprint", "item") SELECT 'default', "provider", "account", "item_key", "kind", "tf_type", "cloud_type", "region", "first_seen_job", "first_seen_at", "last_seen_job", "last_seen_at", "resolved_job", "resolved_at", "change_fingerprint", "item" FROM `drift_tracks`;--> statement-breakpoint
DROP TABLE `drift_tracks`;--> statement-breakpoint
ALTER TABLE `__new_drift_tracks` RENAME TO `drift_tracks`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `drift_tracks_resolved_idx` ON `drift_tracks` (`resolved_job`,`item_key`);--> statement-breakpoint
CREATE TABLE `__new_fingerprints` (
	`tenant_id` text DEFAULT 'default' NOT NULL,
	`provider` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `key`)
);
--> statement-breakpoint
INSERT INTO `__new_fingerprints`("tenant_id", "provider", "key", "fingerprint") SELECT 'default', "provider", "key", "fingerprint" FROM `fingerprints`;--> statement-breakpoint
DROP TABLE `fingerprints`;--> statement-breakpoint
ALTER TABLE `__new_fingerprints` RENAME TO `fingerprints`;--> statement-breakpoint
CREATE TABLE `__new_drift_acks` (
	`tenant_id` text DEFAULT 'default' NOT NULL,
	`resource_key` text NOT NULL,
	`reason` text NOT NULL,
	`until` text,
	`change_fingerprint` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_key`)
);
--> statement-breakpoint
INSERT INTO `__new_drift_acks`("tenant_id", "resource_key", "reason", "until", "change_fingerprint", "created_at") SELECT 'default', "resource_key", "reason", "until", "change_fingerprint", "created_at" FROM `drift_acks`;--> statement-breakpoint
DROP TABLE `drift_acks`;--> statement-breakpoint
ALTER TABLE `__new_drift_acks` RENAME TO `drift_acks`;