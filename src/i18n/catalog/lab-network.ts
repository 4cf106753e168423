/**
 * @module i18n/catalog/lab-network: messages of the virtual lab network (src/lab-network): what a test
 * failover's step log and a verification's log say about the isolated vSwitch and portgroup, and why a test
 * network is refused. French first; English must have the same keys.
 */

export const fr = {
  'failover.step.lab_network': 'Réseau de test',
  'lab.log.created':
    'Réseau de test isolé créé sur {server} : vSwitch « {vswitch} » sans liaison montante physique et portgroup « {portgroup} »',
  'lab.log.shared':
    'Réseau de test « {portgroup} » (vSwitch « {vswitch} », créé par l’application) déjà en place sur {server} : partagé avec les autres VM de test',
  'lab.log.existing':
    'Portgroup existant « {portgroup} » utilisé (vSwitch « {vswitch} », sans liaison montante physique) : l’application ne le modifie ni ne le supprime',
  'lab.log.existing_uplinks':
    'Attention : le portgroup « {portgroup} », choisi explicitement, est sur le vSwitch « {vswitch} » relié au réseau physique ({uplinks}) : les VM de test ne sont pas isolées',
  'lab.log.existing_other':
    'Réseau existant « {portgroup} » utilisé : ce n’est pas un portgroup standard, ses liaisons montantes ne peuvent pas être vérifiées',
  'lab.log.kept':
    'Réseau de test « {portgroup} » conservé sur {server} : encore utilisé par {count} autre(s) VM de test',
  'lab.log.removed':
    'Réseau de test supprimé de {server} : portgroup « {portgroup} » et vSwitch « {vswitch} »',
  'lab.log.portgroup_foreign':
    'Portgroup « {portgroup} » laissé en place : il est sur le vSwitch « {vswitch} », qui n’est pas celui du réseau de test',
  'lab.log.switch_kept':
    'vSwitch « {vswitch} » laissé en place : il porte des portgroups que l’application n’a pas créés ({portgroups})',
  'lab.log.remove_failed':
    'La suppression du réseau de test « {portgroup} » a échoué ; nouvel essai au prochain passage : {error}',
  'lab.log.nics_recorded':
    'Réseaux d’origine des cartes réseau de {vm} enregistrés, pour les y reconnecter après le test : {nics}',
  'lab.log.nics_restored': '{count} carte(s) réseau de {vm} reconnectée(s) à leur réseau d’origine : {nics}',
  'lab.log.nics_restore_failed':
    'Impossible de reconnecter les cartes réseau de {vm} à leur réseau d’origine ; nouvel essai au prochain passage : {error}',
  'lab.log.nic_original_missing':
    'Attention : la carte « {label} » de {vm} n’a pas été reconnectée : son réseau d’origine « {network} » n’existe plus sur {server}',
  'lab.log.nics_vm_gone': '{vm} n’existe plus sur {server} : aucune carte réseau à reconnecter',
  'lab.failover.nic_unknown':
    'Attention : la carte « {label} » de {vm} est sur « {network} » ({reason}) et son réseau d’origine n’est pas connu : la réplique démarre coupée du réseau de production ; connectez-la au bon portgroup',
  'lab.failover.nics_failed':
    'Attention : les cartes réseau de {vm} n’ont pas pu être vérifiées ni reconnectées à leur réseau d’origine ({error}) : la réplique peut démarrer coupée du réseau de production',
  'lab.failover.reason.missing': 'portgroup absent de {server}',
  'lab.failover.reason.lab': 'réseau de test isolé, vSwitch « {vswitch} »',
  'lab.failover.reason.test_network': 'le réseau de test des failovers',
  'lab.error.default_uplinks':
    'Le portgroup « {portgroup} » (le réseau de test par défaut) existe sur {server}, mais son vSwitch « {vswitch} » est relié au réseau physique ({uplinks}) : les VM de test ne seraient pas isolées. Supprimez ce portgroup (l’application créera alors un réseau isolé) ou choisissez explicitement un autre réseau de test. Rien n’a été démarré.',
  'lab.error.replica_running':
    'La réplique {name} tourne déjà hors du réseau de test ({nics}), par exemple mise en service par un failover réel : un failover de test ne la coupe pas de son réseau. Arrêtez-la d’abord si elle doit être testée. Rien n’a été modifié.',
  'lab.error.busy':
    'Le réseau de test « {portgroup} » de {server} est en cours de création ou de suppression par une autre tâche ; réessayez dans quelques minutes.',
  'lab.error.create_failed':
    'Impossible de créer le réseau de test isolé « {portgroup} » sur {server} : {error}',
  'lab.error.vswitch_taken':
    'Le vSwitch « {vswitch} » existe déjà sur {server} sans avoir été créé par l’application : rien n’a été modifié.',
  'lab.error.portgroup_appeared':
    'Le portgroup « {portgroup} » est apparu sur {server} pendant la création du réseau de test : l’application ne l’a pas touché.',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'failover.step.lab_network': 'Test network',
  'lab.log.created':
    'Isolated test network created on {server}: vSwitch "{vswitch}" with no physical uplink and portgroup "{portgroup}"',
  'lab.log.shared':
    'Test network "{portgroup}" (vSwitch "{vswitch}", created by the app) already in place on {server}: shared with the other test VMs',
  'lab.log.existing':
    'Existing portgroup "{portgroup}" used (vSwitch "{vswitch}", no physical uplink): the app neither changes nor removes it',
  'lab.log.existing_uplinks':
    'Warning: the portgroup "{portgroup}", chosen explicitly, is on vSwitch "{vswitch}", which reaches the physical network ({uplinks}): the test VMs are not isolated',
  'lab.log.existing_other':
    'Existing network "{portgroup}" used: it is not a standard portgroup, its uplinks cannot be checked',
  'lab.log.kept': 'Test network "{portgroup}" kept on {server}: still used by {count} other test VM(s)',
  'lab.log.removed': 'Test network removed from {server}: portgroup "{portgroup}" and vSwitch "{vswitch}"',
  'lab.log.portgroup_foreign':
    'Portgroup "{portgroup}" left in place: it is on vSwitch "{vswitch}", not on the test network\'s',
  'lab.log.switch_kept':
    'vSwitch "{vswitch}" left in place: it holds portgroups the app did not create ({portgroups})',
  'lab.log.remove_failed':
    'Removing the test network "{portgroup}" failed; it is tried again at the next pass: {error}',
  'lab.log.nics_recorded':
    'Original networks of the network adapters of {vm} recorded, to reconnect them after the test: {nics}',
  'lab.log.nics_restored': '{count} network adapter(s) of {vm} reconnected to their original network: {nics}',
  'lab.log.nics_restore_failed':
    'Could not reconnect the network adapters of {vm} to their original network; tried again at the next pass: {error}',
  'lab.log.nic_original_missing':
    'Warning: adapter "{label}" of {vm} was not reconnected: its original network "{network}" no longer exists on {server}',
  'lab.log.nics_vm_gone': '{vm} no longer exists on {server}: no network adapter to reconnect',
  'lab.failover.nic_unknown':
    'Warning: adapter "{label}" of {vm} is on "{network}" ({reason}) and its original network is not known: the replica starts cut off from the production network; connect it to the right portgroup',
  'lab.failover.nics_failed':
    'Warning: the network adapters of {vm} could not be checked or reconnected to their original network ({error}): the replica may start cut off from the production network',
  'lab.failover.reason.missing': 'portgroup missing on {server}',
  'lab.failover.reason.lab': 'isolated test network, vSwitch "{vswitch}"',
  'lab.failover.reason.test_network': "the test failovers' network",
  'lab.error.default_uplinks':
    'The portgroup "{portgroup}" (the default test network) exists on {server}, but its vSwitch "{vswitch}" reaches the physical network ({uplinks}): the test VMs would not be isolated. Remove this portgroup (the app then creates an isolated network) or choose another test network explicitly. Nothing was powered on.',
  'lab.error.replica_running':
    'The replica {name} already runs off the test network ({nics}), e.g. put in service by a real failover: a test failover does not cut it off its network. Power it off first if it must be tested. Nothing was changed.',
  'lab.error.busy':
    'The test network "{portgroup}" of {server} is being created or removed by another job; try again in a few minutes.',
  'lab.error.create_failed': 'Could not create the isolated test network "{portgroup}" on {server}: {error}',
  'lab.error.vswitch_taken':
    'The vSwitch "{vswitch}" already exists on {server} and was not created by the app: nothing was changed.',
  'lab.error.portgroup_appeared':
    'The portgroup "{portgroup}" appeared on {server} while the test network was being created: the app left it alone.',
};
