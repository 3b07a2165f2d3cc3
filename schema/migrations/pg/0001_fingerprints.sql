CREATE TABLE "fingerprints" (
	"provider" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"fingerprint" text COLLATE "C" NOT NULL,
	CONSTRAINT "fingerprints_provider_key_pk" PRIMARY KEY("provider","key")
);
