ALTER TABLE "drift_acks" ADD COLUMN "tenant_id" text COLLATE "C" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_tracks" ADD COLUMN "tenant_id" text COLLATE "C" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "fingerprints" ADD COLUMN "tenant_id" text COLLATE "C" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_acks" DROP CONSTRAINT "drift_acks_pkey";--> statement-breakpoint
ALTER TABLE "drift_tracks" DROP CONSTRAINT "drift_tracks_provider_account_item_key_pk";--> statement-breakpoint
ALTER TABLE "fingerprints" DROP CONSTRAINT "fingerprints_provider_key_pk";--> statement-breakpoint
ALTER TABLE "drift_acks" ADD CONSTRAINT "drift_acks_tenant_id_resource_key_pk" PRIMARY KEY("tenant_id","resource_key");--> statement-breakpoint
ALTER TABLE "drift_tracks" ADD CONSTRAINT "drift_tracks_tenant_id_provider_account_item_key_pk" PRIMARY KEY("tenant_id","provider","account","item_key");--> statement-breakpoint
ALTER TABLE "fingerprints" ADD CONSTRAINT "fingerprints_tenant_id_provider_key_pk" PRIMARY KEY("tenant_id","provider","key");