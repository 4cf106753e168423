ALTER TABLE "ovf_exports" ADD COLUMN "source" text DEFAULT 'restore_point' NOT NULL;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD COLUMN "esxi_server_id" integer;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD COLUMN "nfc_lease" text;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD CONSTRAINT "ovf_exports_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;