/**
 * @module i18n/catalog/cbt: the messages of Changed Block Tracking (turning it on, incremental backups, their
 * fallbacks to a full read). French first; English must have the same keys and placeholders.
 */

export const fr = {
  'vsphere.cbt_no_progress':
    'L’hôte ESXi n’a pas avancé dans la carte des blocs modifiés du disque {disk} (à l’octet {offset}).',
  'vsphere.http.range_ignored':
    'L’hôte ESXi a ignoré la plage d’octets demandée pour {file} et renvoyé le fichier entier.',
  'cbt.title': 'Suivi des blocs modifiés (CBT)',
  'cbt.on': 'CBT activé',
  'cbt.off': 'CBT désactivé',
  'cbt.intro':
    'Avec le CBT, une sauvegarde ne lit que ce qui a changé depuis la précédente. L’hôte l’applique au prochain snapshot de la VM (la prochaine sauvegarde) ; une VM qui a des snapshots peut le refuser ; la première sauvegarde ensuite lit encore toutes les zones utilisées des disques.',
  'cbt.enable': 'Activer le CBT',
  'cbt.disable': 'Désactiver le CBT',
  'cbt.enabled_done': 'CBT activé : il prendra effet à la prochaine sauvegarde.',
  'cbt.disabled_done': 'CBT désactivé : les sauvegardes liront de nouveau les disques en entier.',
  'cbt.mode': 'Mode',
  'cbt.mode.full': 'complète',
  'cbt.mode.incremental': 'incrémentale',
  'cbt.reason.cbt_not_active': 'CBT demandé mais pas en vigueur au snapshot',
  'cbt.reason.no_previous_restore_point': 'pas de point de restauration précédent de ce disque',
  'cbt.reason.change_id_refused': 'identifiant de changement refusé par l’hôte',
  'cbt.reason.disk_changed': 'disque changé (UUID ou taille)',
  'cbt.reason.other_snapshots': 'la VM a d’autres snapshots',
  'cbt.reason.no_range_support': 'l’hôte ne sert pas les plages d’octets',
  'cbt.reason.active_full': 'lecture complète périodique (ACTIVE_FULL_EVERY)',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'vsphere.cbt_no_progress':
    'The ESXi host did not move forward in the changed-block map of disk {disk} (at byte {offset}).',
  'vsphere.http.range_ignored':
    'The ESXi host ignored the byte range asked of {file} and sent the whole file.',
  'cbt.title': 'Changed Block Tracking (CBT)',
  'cbt.on': 'CBT on',
  'cbt.off': 'CBT off',
  'cbt.intro':
    'With CBT, a backup reads only what changed since the previous one. The host applies it at the VM’s next snapshot (the next backup); a VM with snapshots may refuse it; the first backup after it still reads every area in use of the disks.',
  'cbt.enable': 'Turn CBT on',
  'cbt.disable': 'Turn CBT off',
  'cbt.enabled_done': 'CBT turned on: it takes effect at the next backup.',
  'cbt.disabled_done': 'CBT turned off: backups read the disks in full again.',
  'cbt.mode': 'Mode',
  'cbt.mode.full': 'full',
  'cbt.mode.incremental': 'incremental',
  'cbt.reason.cbt_not_active': 'CBT asked but not in force at the snapshot',
  'cbt.reason.no_previous_restore_point': 'no previous restore point of this disk',
  'cbt.reason.change_id_refused': 'change id refused by the host',
  'cbt.reason.disk_changed': 'disk changed (UUID or size)',
  'cbt.reason.other_snapshots': 'the VM has other snapshots',
  'cbt.reason.no_range_support': 'the host does not serve byte ranges',
  'cbt.reason.active_full': 'periodic full read (ACTIVE_FULL_EVERY)',
};
