/**
 * @module lab-network — the virtual lab network of test failovers and SureBackup verifications: an isolated
 * standard vSwitch (no physical uplink) and portgroup made on the test host when the configured portgroup does
 * not exist, recorded in a ledger before it is made, shared by the tests on that host, removed when the last
 * test VM leaves it (or by the sweep after a crash). A portgroup the app did not make is never changed. A test
 * failover's replica gets its adapters back on their recorded original portgroups once it is off, and a real
 * failover puts back any a test left isolated before powering the replica on.
 */
export {
  type AcquiredNetwork,
  acquireLabNetwork,
  DEFAULT_TEST_NETWORK,
  type LabNetworkUser,
} from './acquire.js';
export { moveNicsToTestNetwork, refuseRunningElsewhere, restoreMovedNics } from './nics.js';
export { reconnectProductionNics } from './production.js';
export { releaseLabNetworks } from './release.js';
export { startLabNetworkSweep, sweepLabNetworks } from './sweep.js';
