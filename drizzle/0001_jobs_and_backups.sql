CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"target_label" text DEFAULT '' NOT NULL,
	"esxi_server_id" integer,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"bytes_done" bigint DEFAULT 0 NOT NULL,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"step" text DEFAULT '' NOT NULL,
	"error" text,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "restores" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"vm_backup_id" integer,
	"esxi_server_id" integer,
	"datastore" text NOT NULL,
	"vm_name" text NOT NULL,
	"power_on" boolean DEFAULT false NOT NULL,
	"vm_moref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "restores_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
CREATE TABLE "snapshot_ledger" (
	"id" serial PRIMARY KEY NOT NULL,
	"esxi_server_id" integer NOT NULL,
	"vm_moref" text NOT NULL,
	"snapshot_name" text NOT NULL,
	"snapshot_moref" text,
	"job_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "vm_backups" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"virtual_machine_id" integer,
	"vm_name" text NOT NULL,
	"esxi_server_id" integer,
	"storage_path_id" integer,
	"quiesce" boolean DEFAULT false NOT NULL,
	"snapshot_name" text DEFAULT '' NOT NULL,
	"backup_dir" text,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"file_count" integer DEFAULT 0 NOT NULL,
	"manifest_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vm_backups_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_vm_backup_id_vm_backups_id_fk" FOREIGN KEY ("vm_backup_id") REFERENCES "public"."vm_backups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_ledger" ADD CONSTRAINT "snapshot_ledger_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_ledger" ADD CONSTRAINT "snapshot_ledger_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD CONSTRAINT "vm_backups_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD CONSTRAINT "vm_backups_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD CONSTRAINT "vm_backups_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_backups" ADD CONSTRAINT "vm_backups_storage_path_id_storage_paths_id_fk" FOREIGN KEY ("storage_path_id") REFERENCES "public"."storage_paths"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "jobs_type_idx" ON "jobs" USING btree ("type","created_at");--> statement-breakpoint
CREATE INDEX "snapshot_ledger_open_idx" ON "snapshot_ledger" USING btree ("removed_at");--> statement-breakpoint
CREATE INDEX "vm_backups_vm_idx" ON "vm_backups" USING btree ("virtual_machine_id","created_at");