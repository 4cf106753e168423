CREATE TABLE "backup_job_run_vms" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"virtual_machine_id" integer,
	"vm_name" text NOT NULL,
	"vm_backup_id" integer,
	"vm_job_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"bytes_written" bigint DEFAULT 0 NOT NULL,
	"mode" text,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backup_job_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"backup_job_id" integer NOT NULL,
	"job_id" integer,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backup_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"virtual_machine_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"esxi_server_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"include_patterns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"exclude_patterns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"skip_powered_off" boolean DEFAULT false NOT NULL,
	"storage_path_id" integer,
	"retention" jsonb,
	"quiesce" boolean DEFAULT false NOT NULL,
	"use_change_tracking" boolean DEFAULT true NOT NULL,
	"max_parallel_vms" integer DEFAULT 1 NOT NULL,
	"retry_count" integer DEFAULT 0 NOT NULL,
	"retry_delay_seconds" integer DEFAULT 60 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"schedule" jsonb,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_jobs_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "backup_job_run_vms" ADD CONSTRAINT "backup_job_run_vms_run_id_backup_job_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."backup_job_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_job_run_vms" ADD CONSTRAINT "backup_job_run_vms_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_job_run_vms" ADD CONSTRAINT "backup_job_run_vms_vm_backup_id_vm_backups_id_fk" FOREIGN KEY ("vm_backup_id") REFERENCES "public"."vm_backups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_job_runs" ADD CONSTRAINT "backup_job_runs_backup_job_id_backup_jobs_id_fk" FOREIGN KEY ("backup_job_id") REFERENCES "public"."backup_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_job_runs" ADD CONSTRAINT "backup_job_runs_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_jobs" ADD CONSTRAINT "backup_jobs_storage_path_id_storage_paths_id_fk" FOREIGN KEY ("storage_path_id") REFERENCES "public"."storage_paths"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backup_job_run_vms_run_idx" ON "backup_job_run_vms" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "backup_job_runs_job_idx" ON "backup_job_runs" USING btree ("backup_job_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "backup_job_runs_one_running_idx" ON "backup_job_runs" USING btree ("backup_job_id") WHERE status = 'running';