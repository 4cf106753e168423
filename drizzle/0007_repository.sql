ALTER TABLE "storage_paths" ADD COLUMN "encrypted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "repository_key_sealed" text;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "last_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "last_gc_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "chunk_count" bigint;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "chunk_bytes" bigint;--> statement-breakpoint
ALTER TABLE "storage_paths" ADD COLUMN "repository_measured_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "format" text DEFAULT 'directory' NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "index_path" text;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "bytes_read" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "bytes_written" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "logical_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "verification_state" text DEFAULT 'unverified' NOT NULL;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD COLUMN "corrupt_files" jsonb DEFAULT '[]'::jsonb NOT NULL;