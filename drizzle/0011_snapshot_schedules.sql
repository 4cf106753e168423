CREATE TABLE "snapshot_schedule_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"schedule_id" integer NOT NULL,
	"vm_moref" text NOT NULL,
	"snapshot_name" text NOT NULL,
	"snapshot_moref" text,
	"job_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshot_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"virtual_machine_id" integer NOT NULL,
	"schedule" jsonb NOT NULL,
	"keep_last" integer DEFAULT 1 NOT NULL,
	"memory" boolean DEFAULT false NOT NULL,
	"quiesce" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "snapshot_schedule_snapshots" ADD CONSTRAINT "snapshot_schedule_snapshots_schedule_id_snapshot_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."snapshot_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_schedule_snapshots" ADD CONSTRAINT "snapshot_schedule_snapshots_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_schedules" ADD CONSTRAINT "snapshot_schedules_virtual_machine_id_virtual_machines_id_fk" FOREIGN KEY ("virtual_machine_id") REFERENCES "public"."virtual_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "snapshot_schedule_snapshots_schedule_idx" ON "snapshot_schedule_snapshots" USING btree ("schedule_id","created_at");--> statement-breakpoint
CREATE INDEX "snapshot_schedules_due_idx" ON "snapshot_schedules" USING btree ("is_active","next_run_at");