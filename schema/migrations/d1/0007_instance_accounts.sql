ALTER TABLE `state_instances` ADD `account` text;--> statement-breakpoint
CREATE INDEX `state_instances_account_idx` ON `state_instances` (`account`);