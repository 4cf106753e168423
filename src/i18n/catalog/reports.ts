/** @module i18n/catalog/reports: the PDF reports (verifications over a period, protection). French first; English has the same keys. */

export const fr = {
  'reports.verifications.title': 'Rapport de vérifications SureBackup',
  'reports.verifications.period': 'Période : du {from} au {to}',
  'reports.verifications.summary':
    '{total} vérification(s) : {passed} réussie(s), {warning} avec avertissement, {failed} échouée(s).',
  'reports.verifications.none': 'Aucune vérification sur cette période.',
  'reports.verifications.vm': 'VM {vm} : {count} vérification(s)',
  'reports.verifications.row':
    'N°{id} du {at} — {type} — {status} — {boot} — services vérifiés : {services}',
  'reports.verifications.boot': 'démarrage en {seconds} s',
  'reports.verifications.no_boot': 'non démarrée',
  'reports.verifications.no_services': 'aucun',
  'reports.verifications.failure': 'Échec : {error}',
  'reports.verifications.log': 'Journal :',
  'reports.protection.title': 'Rapport de protection',
  'reports.protection.generated': 'Généré le {at}',
  'reports.protection.summary':
    '{vms} VM : {protected} avec un point de restauration valide, {unprotected} sans.',
  'reports.protection.none': 'Aucune machine virtuelle dans l’inventaire.',
  'reports.protection.head.vm': 'VM (hôte)',
  'reports.protection.head.point': 'Dernier point valide',
  'reports.protection.head.age': 'Âge',
  'reports.protection.head.repository': 'Dépôt',
  'reports.protection.never': 'aucun',
  'reports.page': 'Page {page}',
  'reports.download_verifications': 'Rapport PDF des vérifications',
  'reports.download_protection': 'Rapport PDF de protection',
  'reports.from': 'Du',
  'reports.to': 'Au',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'reports.verifications.title': 'SureBackup verification report',
  'reports.verifications.period': 'Period: {from} to {to}',
  'reports.verifications.summary':
    '{total} verification(s): {passed} passed, {warning} with warnings, {failed} failed.',
  'reports.verifications.none': 'No verification in this period.',
  'reports.verifications.vm': 'VM {vm}: {count} verification(s)',
  'reports.verifications.row':
    '#{id} on {at} — {type} — {status} — {boot} — services checked: {services}',
  'reports.verifications.boot': 'booted in {seconds} s',
  'reports.verifications.no_boot': 'not booted',
  'reports.verifications.no_services': 'none',
  'reports.verifications.failure': 'Failure: {error}',
  'reports.verifications.log': 'Log:',
  'reports.protection.title': 'Protection report',
  'reports.protection.generated': 'Generated on {at}',
  'reports.protection.summary': '{vms} VMs: {protected} with a good restore point, {unprotected} without.',
  'reports.protection.none': 'No virtual machine in the inventory.',
  'reports.protection.head.vm': 'VM (host)',
  'reports.protection.head.point': 'Last good restore point',
  'reports.protection.head.age': 'Age',
  'reports.protection.head.repository': 'Repository',
  'reports.protection.never': 'none',
  'reports.page': 'Page {page}',
  'reports.download_verifications': 'Verification report (PDF)',
  'reports.download_protection': 'Protection report (PDF)',
  'reports.from': 'From',
  'reports.to': 'To',
};
