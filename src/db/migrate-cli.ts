/** @module db/migrate-cli: `npm run db:migrate`: applies migrations and exits (0 on success, 1 with one line). */
import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';

try {
  const config = loadConfig();
  const database = await openDatabase(config);
  await migrate(database);
  await database.close();
  console.log(`migrations applied (${database.kind}: ${database.location})`);
} catch (err) {
  console.error(`db:migrate failed: ${(err as Error).message}`);
  process.exit(1);
}
