CREATE TABLE "backup_verifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"ovf_export_id" integer,
	"vm_backup_id" integer,
	"esxi_server_id" integer,
	"schedule_id" integer,
	"job_id" integer,
	"test_type" text DEFAULT 'boot' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"vm_restored" boolean DEFAULT false NOT NULL,
	"vm_booted" boolean DEFAULT false NOT NULL,
	"boot_time_seconds" integer,
	"ping_successful" boolean,
	"requested_services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"http_checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"services_checked" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"test_network" text DEFAULT 'VM Network Isolated' NOT NULL,
	"test_datastore" text DEFAULT '' NOT NULL,
	"test_vm_name" text,
	"test_vm_moref" text,
	"vm_cleanup_done" boolean DEFAULT false NOT NULL,
	"detailed_log" text DEFAULT '' NOT NULL,
	"error_message" text DEFAULT '' NOT NULL,
	"total_duration_seconds" integer,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "failover_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"replication_id" integer NOT NULL,
	"failover_type" text NOT NULL,
	"status" text DEFAULT 'initiated' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"source_vm_powered_off" boolean DEFAULT false NOT NULL,
	"destination_vm_powered_on" boolean DEFAULT false NOT NULL,
	"error_message" text DEFAULT '' NOT NULL,
	"triggered_by" integer,
	"step_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"job_id" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "verification_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"virtual_machine_id" integer,
	"esxi_server_id" integer NOT NULL,
	"frequency" text NOT NULL,
	"test_type" text DEFAULT 'boot' NOT NULL,
	"test_network" text DEFAULT 'VM Network Isolated' NOT NULL,
	"test_datastore" text DEFAULT '' NOT NULL,
	"services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_run_at" timestamp with time zone,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vm_replications" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"virtual_machine_id" integer NOT NULL,
	"source_server_id" integer NOT NULL,
	"destination_server_id" integer NOT NULL,
	"destination_datastore" text NOT NULL,
	"replication_interval_minutes" integer DEFAULT 15 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"failover_mode" text DEFAULT 'manual' NOT NULL,
	"auto_failover_threshold_minutes" integer DEFAULT 5 NOT NULL,
	"last_replication_at" timestamp with time zone,
	"last_replication_duration_seconds" integer,
	"total_replicated_size_mb" double precision DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"replica_name" text DEFAULT '' NOT NULL,
	"replica_vm_moref" text,
	"last_error" text,
	"next_run_at" timestamp with time zone,
	"source_unreachable_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backup_verifications" ADD CONSTRAINT "backup_verifications_vm_backup_id_vm_backups_id_fk" FOREIGN KEY ("vm_backup_id") REFERENCES "public"."vm_backups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_verifications" ADD CONSTRAINT "backup_verifications_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_verifications" ADD CONSTRAINT "backup_verifications_schedule_id_verification_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."verification_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_verifications" ADD CONSTRAINT "backup_verifications_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failover_events" ADD CONSTRAINT "failover_events_replication_id_vm_replications_id_fk" FOREIGN KEY ("replication_id") REFERENCES "public"."vm_replications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failover_events" ADD CONSTRAINT "failover_events_triggered_by_users_id_fk" FOREIGN KEY ("triggered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failover_events" ADD CONSTRAINT "failover_events_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_schedules" ADD CONSTRAINT "verification_schedules_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_schedules" ADD CONSTRAINT "verification_schedules_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_replications" ADD CONSTRAINT "vm_replications_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_replications" ADD CONSTRAINT "vm_replications_source_server_id_esxi_servers_id_fk" FOREIGN KEY ("source_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_replications" ADD CONSTRAINT "vm_replications_destination_server_id_esxi_servers_id_fk" FOREIGN KEY ("destination_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backup_verifications_backup_idx" ON "backup_verifications" USING btree ("vm_backup_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vm_replications_vm_destination_idx" ON "vm_replications" USING btree ("virtual_machine_id","destination_server_id");