/**
 * @module backup/ledger: the snapshot ledger's queries, kept here under their old path for the modules that
 * still import them from src/backup; they live in src/db/snapshot-ledger.ts.
 * @deprecated import from src/db/snapshot-ledger.ts.
 */
export {
  type LedgerRow,
  markSnapshotRemoved,
  openSnapshots,
  recordSnapshot,
  setSnapshotError,
  setSnapshotMoref,
} from '../db/snapshot-ledger.js';
