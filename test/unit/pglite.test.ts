import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createApiToken, createUser, findUserByApiToken } from '../../src/db/users.js';

describe('embedded PGlite', () => {
  it('runs the same migrations as PostgreSQL, twice without harm, and keeps data across reopen', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ebm-pglite-'));
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    await migrate(first);
    await migrate(first);
    const user = await createUser(first.db, { username: 'ana', password: 'long-enough', role: 'admin' });
    const key = await createApiToken(first.db, user.id);
    await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
    await first.close();
    const second = await openDatabase({ dataDir });
    expect(await findUserByApiToken(second.db, key)).toMatchObject({ username: 'ana', role: 'admin' });
    await second.close();
  });
});
