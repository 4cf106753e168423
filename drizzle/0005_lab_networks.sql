CREATE TABLE "lab_network_users" (
	"id" serial PRIMARY KEY NOT NULL,
	"lab_network_id" integer NOT NULL,
	"kind" text NOT NULL,
	"owner_id" integer NOT NULL,
	"job_id" integer,
	"vm_name" text NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lab_networks" (
	"id" serial PRIMARY KEY NOT NULL,
	"esxi_server_id" integer NOT NULL,
	"portgroup_name" text NOT NULL,
	"vswitch_name" text NOT NULL,
	"state" text DEFAULT 'creating' NOT NULL,
	"state_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "lab_network_users" ADD CONSTRAINT "lab_network_users_lab_network_id_lab_networks_id_fk" FOREIGN KEY ("lab_network_id") REFERENCES "public"."lab_networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_network_users" ADD CONSTRAINT "lab_network_users_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_networks" ADD CONSTRAINT "lab_networks_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_network_users_network_idx" ON "lab_network_users" USING btree ("lab_network_id","released_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lab_networks_open_idx" ON "lab_networks" USING btree ("esxi_server_id","portgroup_name") WHERE "lab_networks"."removed_at" is null;