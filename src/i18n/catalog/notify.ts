/**
 * @module i18n/catalog/notify: what notifications say (each event's title and lines, rendered in the
 * channel's language at delivery), the errors of a delivery and of a channel's input. French first; English
 * has the same keys.
 */

export const fr = {
  'notify.open_link': 'Ouvrir dans ESXi Backup Manager',
  'notify.open_link_line': 'Ouvrir : {link}',
  'notify.line.error': 'Erreur : {error}',
  'notify.line.reason': 'Raison : {reason}',
  'notify.test.title': 'Test de notification ESXi Backup Manager',
  'notify.test.line':
    'Ce message de test a été envoyé par le canal « {channel} ». Si vous le lisez, le canal fonctionne.',
  'notify.failover_type.manual': 'manuel',
  'notify.failover_type.automatic': 'automatique',
  'notify.failover_type.test': 'de test',
  'notify.failover.started.title': 'Basculement {type} démarré : {vm}',
  'notify.failover.completed.title': 'Basculement {type} terminé : {vm}',
  'notify.failover.failed.title': 'Basculement {type} échoué : {vm}',
  'notify.failover.line':
    'Réplication « {replication} » : la VM {vm} de l’hôte {source} bascule sur son réplica {replica} sur l’hôte {destination}.',
  'notify.verification.failed.title': 'Vérification échouée : {vm}',
  'notify.verification.line':
    'La vérification n°{id} ({type}) de la sauvegarde n°{backup} de la VM {vm} (hôte {host}) a échoué.',
  'notify.repository.corrupt.title': 'Dépôt corrompu : {storage}',
  'notify.repository.line':
    'La vérification du dépôt « {storage} » ({path}) a trouvé {corrupt} point(s) de restauration corrompu(s) sur {points}.',
  'notify.repository.vm_line':
    'Point de restauration corrompu : VM {vm} (hôte {host}), sauvegarde n°{backup}.',
  'notify.storage.low_space.title': 'Espace disque faible : {storage}',
  'notify.storage.line':
    'Le chemin de stockage « {storage} » ({path}) n’a plus que {free} libres sur {capacity} ({percent} %, seuil {threshold} %).',
  'notify.db_backup.failed.title': 'Sauvegarde de la base de données échouée',
  'notify.db_backup.line': 'La sauvegarde n°{job} de la base de l’application a échoué.',
  'notify.replication.error.title': 'Réplication en erreur : {vm}',
  'notify.replication.line':
    'La réplication « {replication} » de la VM {vm} (hôte {source} vers {destination}) est en erreur depuis {since}.',
  'notify.summary.title': 'Résumé quotidien : {failed} VM en échec, {ok} VM protégées',
  'notify.summary.failures_head': 'Échecs des dernières 24 heures :',
  'notify.summary.failure_line': '- {what} : {vm} ({host}) à {at} : {error}',
  'notify.summary.what.verification': 'vérification',
  'notify.summary.what.backup': 'sauvegarde',
  'notify.summary.vms_head': 'Machines virtuelles (dernier point de restauration valide) :',
  'notify.summary.vm_line': '- {vm} ({host}) : {at}, il y a {age}',
  'notify.summary.vm_never': '- {vm} ({host}) : aucun point de restauration valide',
  'notify.summary.none': 'Aucune machine virtuelle dans l’inventaire.',
  'notify.age.dh': '{days} j {hours} h',
  'notify.age.hm': '{hours} h {minutes} min',
  'notify.age.m': '{minutes} min',
  'notify.error.smtp': 'Le serveur SMTP a refusé ou n’a pas répondu : {error}',
  'notify.error.http_status': 'Le webhook a répondu HTTP {status}.',
  'notify.error.http_unreachable': 'Le webhook n’a pas pu être joint : {error}',
  'notify.error.name_taken': 'un autre canal porte déjà ce nom',
  'notify.error.email': 'adresse e-mail invalide',
  'notify.error.recipients': 'au moins un destinataire',
  'notify.error.url': 'URL http:// ou https:// attendue',
  'notify.error.kind': 'type attendu : email ou webhook',
  'notify.error.period': 'période invalide : dates AAAA-MM-JJ, début avant la fin',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'notify.open_link': 'Open in ESXi Backup Manager',
  'notify.open_link_line': 'Open: {link}',
  'notify.line.error': 'Error: {error}',
  'notify.line.reason': 'Reason: {reason}',
  'notify.test.title': 'ESXi Backup Manager test notification',
  'notify.test.line':
    'This test message was sent by the channel “{channel}”. If you can read it, the channel works.',
  'notify.failover_type.manual': 'manual',
  'notify.failover_type.automatic': 'automatic',
  'notify.failover_type.test': 'test',
  'notify.failover.started.title': 'Failover ({type}) started: {vm}',
  'notify.failover.completed.title': 'Failover ({type}) completed: {vm}',
  'notify.failover.failed.title': 'Failover ({type}) failed: {vm}',
  'notify.failover.line':
    'Replication “{replication}”: VM {vm} on host {source} fails over to its replica {replica} on host {destination}.',
  'notify.verification.failed.title': 'Verification failed: {vm}',
  'notify.verification.line':
    'Verification #{id} ({type}) of backup #{backup} of VM {vm} (host {host}) failed.',
  'notify.repository.corrupt.title': 'Corrupt repository: {storage}',
  'notify.repository.line':
    'The verify of repository “{storage}” ({path}) found {corrupt} corrupt restore point(s) out of {points}.',
  'notify.repository.vm_line': 'Corrupt restore point: VM {vm} (host {host}), backup #{backup}.',
  'notify.storage.low_space.title': 'Low disk space: {storage}',
  'notify.storage.line':
    'Storage path “{storage}” ({path}) has only {free} free of {capacity} ({percent} %, threshold {threshold} %).',
  'notify.db_backup.failed.title': 'Database backup failed',
  'notify.db_backup.line': 'Backup #{job} of the app’s database failed.',
  'notify.replication.error.title': 'Replication in error: {vm}',
  'notify.replication.line':
    'Replication “{replication}” of VM {vm} (host {source} to {destination}) has been in error since {since}.',
  'notify.summary.title': 'Daily summary: {failed} VMs failing, {ok} VMs protected',
  'notify.summary.failures_head': 'Failures in the last 24 hours:',
  'notify.summary.failure_line': '- {what}: {vm} ({host}) at {at}: {error}',
  'notify.summary.what.verification': 'verification',
  'notify.summary.what.backup': 'backup',
  'notify.summary.vms_head': 'Virtual machines (last good restore point):',
  'notify.summary.vm_line': '- {vm} ({host}): {at}, {age} ago',
  'notify.summary.vm_never': '- {vm} ({host}): no good restore point',
  'notify.summary.none': 'No virtual machine in the inventory.',
  'notify.age.dh': '{days} d {hours} h',
  'notify.age.hm': '{hours} h {minutes} min',
  'notify.age.m': '{minutes} min',
  'notify.error.smtp': 'The SMTP server refused or did not answer: {error}',
  'notify.error.http_status': 'The webhook answered HTTP {status}.',
  'notify.error.http_unreachable': 'The webhook could not be reached: {error}',
  'notify.error.name_taken': 'another channel already has this name',
  'notify.error.email': 'invalid e-mail address',
  'notify.error.recipients': 'at least one recipient',
  'notify.error.url': 'an http:// or https:// URL',
  'notify.error.kind': 'kind must be email or webhook',
  'notify.error.period': 'invalid period: YYYY-MM-DD dates, start before end',
};
