CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"name" text DEFAULT 'api' NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "datastores" (
	"id" serial PRIMARY KEY NOT NULL,
	"esxi_server_id" integer NOT NULL,
	"moref" text NOT NULL,
	"name" text NOT NULL,
	"type" text DEFAULT '' NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"capacity_bytes" bigint DEFAULT 0 NOT NULL,
	"free_bytes" bigint DEFAULT 0 NOT NULL,
	"accessible" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "esxi_servers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hostname" text NOT NULL,
	"port" integer DEFAULT 443 NOT NULL,
	"protocol" text DEFAULT 'https' NOT NULL,
	"username" text NOT NULL,
	"password_encrypted" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"thumbprint" text,
	"version" text,
	"build" text,
	"full_name" text,
	"api_version" text,
	"datacenter" text,
	"connection_status" text DEFAULT 'unknown' NOT NULL,
	"last_error" text,
	"last_sync_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "esxi_servers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "storage_paths" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"storage_type" text DEFAULT 'local' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "storage_paths_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'viewer' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "virtual_machines" (
	"id" serial PRIMARY KEY NOT NULL,
	"esxi_server_id" integer NOT NULL,
	"moref" text NOT NULL,
	"name" text NOT NULL,
	"power_state" text DEFAULT 'poweredOff' NOT NULL,
	"guest_os" text DEFAULT '' NOT NULL,
	"guest_id" text DEFAULT '' NOT NULL,
	"num_cpu" integer DEFAULT 0 NOT NULL,
	"memory_mb" integer DEFAULT 0 NOT NULL,
	"uuid" text DEFAULT '' NOT NULL,
	"instance_uuid" text DEFAULT '' NOT NULL,
	"vmx_path" text DEFAULT '' NOT NULL,
	"datastore" text DEFAULT '' NOT NULL,
	"tools_status" text DEFAULT '' NOT NULL,
	"ip_address" text,
	"disks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"snapshots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_present" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datastores" ADD CONSTRAINT "datastores_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "virtual_machines" ADD CONSTRAINT "virtual_machines_esxi_server_id_esxi_servers_id_fk" FOREIGN KEY ("esxi_server_id") REFERENCES "public"."esxi_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "datastores_server_moref_idx" ON "datastores" USING btree ("esxi_server_id","moref");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "virtual_machines_server_moref_idx" ON "virtual_machines" USING btree ("esxi_server_id","moref");--> statement-breakpoint
CREATE INDEX "virtual_machines_name_idx" ON "virtual_machines" USING btree ("name");