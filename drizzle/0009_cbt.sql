ALTER TABLE "virtual_machines" ADD COLUMN "change_tracking_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "mode" text DEFAULT 'full' NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "changed_bytes" bigint;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "cbt_fallback_reason" text;