ALTER TABLE "resource_counts" ADD COLUMN "tenant_id" text COLLATE "C" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "tenant_id" text COLLATE "C" DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "resource_counts" DROP CONSTRAINT "resource_counts_provider_account_region_type_pk";--> statement-breakpoint
ALTER TABLE "resources" DROP CONSTRAINT "resources_pkey";--> statement-breakpoint
ALTER TABLE "resource_counts" ADD CONSTRAINT "resource_counts_tenant_id_provider_account_region_type_pk" PRIMARY KEY("tenant_id","provider","account","region","type");--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_tenant_id_resource_key_pk" PRIMARY KEY("tenant_id","resource_key");
