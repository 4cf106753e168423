/**
 * @module lab-network — the virtual lab network of test failovers and SureBackup verifications: an isolated
 * standard vSwitch (no physical uplink) and portgroup made on the test host when the configured portgroup does
 * not exist, recorded in a ledger before it is made, shared by the tests on that host, removed when the last
 * test VM leaves it (or by the sweep after a crash). A portgroup the app did not make is never changed.
 */
export {
  type AcquiredNetwork,
  acquireLabNetwork,
  DEFAULT_TEST_NETWORK,
  type LabNetworkUser,
} from './acquire.js';
export { releaseLabNetworks } from './release.js';
export { startLabNetworkSweep, sweepLabNetworks } from './sweep.js';
