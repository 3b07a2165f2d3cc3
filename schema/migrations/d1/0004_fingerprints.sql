CREATE TABLE `fingerprints` (
	`provider` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	PRIMARY KEY(`provider`, `key`)
);
