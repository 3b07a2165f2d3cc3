ALTER TABLE `job_resources` ADD `slot` integer;--> statement-breakpoint
CREATE INDEX `job_resources_slot_idx` ON `job_resources` (`job_id`,`account`,`slot`,`resource_key`);--> statement-breakpoint
ALTER TABLE `state_instances` ADD `slot` integer;--> statement-breakpoint
CREATE INDEX `state_instances_slot_idx` ON `state_instances` (`state_id`,`slot`);