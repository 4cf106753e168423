CREATE TABLE "ovf_exports" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"virtual_machine_id" integer,
	"vm_backup_id" integer,
	"vm_name" text NOT NULL,
	"storage_path_id" integer,
	"format" text DEFAULT 'ovf' NOT NULL,
	"export_dir" text NOT NULL,
	"package_path" text,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"total_bytes" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ovf_exports_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD CONSTRAINT "ovf_exports_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD CONSTRAINT "ovf_exports_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD CONSTRAINT "ovf_exports_vm_backup_id_vm_backups_id_fk" FOREIGN KEY ("vm_backup_id") REFERENCES "public"."vm_backups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ovf_exports" ADD CONSTRAINT "ovf_exports_storage_path_id_storage_paths_id_fk" FOREIGN KEY ("storage_path_id") REFERENCES "public"."storage_paths"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ovf_exports_vm_idx" ON "ovf_exports" USING btree ("virtual_machine_id");