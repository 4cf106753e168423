/**
 * @module i18n/catalog/cbt: the messages of Changed Block Tracking (turning it on, incremental backups, their
 * fallbacks to a full read). French first; English must have the same keys and placeholders.
 */

export const fr = {
  'vsphere.cbt_no_progress':
    'L’hôte ESXi n’a pas avancé dans la carte des blocs modifiés du disque {disk} (à l’octet {offset}).',
  'vsphere.http.range_ignored':
    'L’hôte ESXi a ignoré la plage d’octets demandée pour {file} et renvoyé le fichier entier.',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'vsphere.cbt_no_progress':
    'The ESXi host did not move forward in the changed-block map of disk {disk} (at byte {offset}).',
  'vsphere.http.range_ignored':
    'The ESXi host ignored the byte range asked of {file} and sent the whole file.',
};
