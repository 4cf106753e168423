CREATE TABLE "lab_nic_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"esxi_server_id" integer NOT NULL,
	"kind" text NOT NULL,
	"owner_id" integer NOT NULL,
	"job_id" integer,
	"vm_name" text NOT NULL,
	"vm_moref" text NOT NULL,
	"test_portgroup" text NOT NULL,
	"original_nics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "lab_nic_moves" ADD CONSTRAINT "lab_nic_moves_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_nic_moves" ADD CONSTRAINT "lab_nic_moves_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lab_nic_moves_open_idx" ON "lab_nic_moves" USING btree ("esxi_server_id","vm_moref") WHERE "lab_nic_moves"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "lab_nic_moves_job_idx" ON "lab_nic_moves" USING btree ("job_id");