CREATE TABLE "ovf_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"ovf_export_id" integer,
	"esxi_server_id" integer,
	"datastore" text NOT NULL,
	"vm_name" text NOT NULL,
	"power_on" boolean DEFAULT false NOT NULL,
	"lease_moref" text,
	"vm_moref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ovf_imports_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
ALTER TABLE "verification_schedules" ADD COLUMN "source" text DEFAULT 'vm_backup' NOT NULL;--> statement-breakpoint
ALTER TABLE "ovf_imports" ADD CONSTRAINT "ovf_imports_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ovf_imports" ADD CONSTRAINT "ovf_imports_ovf_export_id_ovf_exports_id_fk" FOREIGN KEY ("ovf_export_id") REFERENCES "public"."ovf_exports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ovf_imports" ADD CONSTRAINT "ovf_imports_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ovf_imports_export_idx" ON "ovf_imports" USING btree ("ovf_export_id");