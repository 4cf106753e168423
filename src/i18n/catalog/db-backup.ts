/** @module i18n/catalog/db-backup: messages for the one-click database backup and its admin page (seed 004). French first; English must have the same keys. */

export const fr = {
  'nav.db_backups': 'Sauvegardes de la base',
  'dbbackup.button': 'Sauvegarder',
  'dbbackup.button_title': 'Sauvegarder la base de données (Ctrl+Alt+S)',
  'dbbackup.title': 'Sauvegarde',
  'dbbackup.running': 'Sauvegarde de la base en cours',
  'dbbackup.queued': 'En attente d’un emplacement libre...',
  'dbbackup.success_title': 'Sauvegarde complète',
  'dbbackup.error_title': 'Erreur de sauvegarde',
  'dbbackup.cancelled': 'Sauvegarde annulée.',
  'dbbackup.failed': 'La sauvegarde a échoué : {error}',
  'dbbackup.name': 'Nom',
  'dbbackup.size': 'Taille',
  'dbbackup.location': 'Localisation',
  'dbbackup.retry': 'Réessayer',
  'dbbackup.new': 'Nouvelle sauvegarde',
  'dbbackup.close': 'Fermer',
  'dbbackup.step.init': 'Initialisation : validation des paramètres...',
  'dbbackup.step.dump': 'Dump de la base de données...',
  'dbbackup.step.dump_table': 'Dump de la table {table} ({done}/{total})...',
  'dbbackup.step.compress': 'Compression GZIP...',
  'dbbackup.step.integrity': 'Vérification de l’intégrité (SHA-256)...',
  'dbbackup.step.finalise': 'Finalisation : métadonnées JSON...',
  'dbbackup.step.done': 'Terminé',
  'dbbackups.title': 'Sauvegardes de la base',
  'dbbackups.intro':
    'Sauvegardes de la base de données de l’application, dans {dir} (les {keep} plus récentes sont gardées).',
  'dbbackups.empty': 'Aucune sauvegarde de la base pour le moment.',
  'dbbackups.date': 'Date',
  'dbbackups.kind': 'Type',
  'dbbackups.kind.manual': 'manuelle',
  'dbbackups.kind.safety': 'avant restauration',
  'dbbackups.download': 'Télécharger',
  'dbbackups.cli':
    'Restauration : npm run db:backup -- --restore (la plus récente) ou -- --restore-path <fichier>.',
  'dbbackup.error.no_connection':
    'Cette connexion à la base ne peut pas être sauvegardée (elle n’a pas été ouverte par l’application).',
  'dbbackup.error.no_version': 'La base n’a pas répondu à la requête de sa version.',
  'dbbackup.error.integrity':
    'La vérification d’intégrité de {name} a échoué : le fichier relu diffère de ce qui a été écrit.',
  'dbbackup.error.dir_not_writable':
    'Le répertoire des sauvegardes {dir} n’est pas accessible en écriture ({code}).',
  'dbbackup.error.pg_dump_missing_at':
    'pg_dump est introuvable à {file} (PG_DUMP_PATH) : installez-y postgresql-client.',
  'dbbackup.error.pg_dump_missing':
    'pg_dump est introuvable dans le PATH : installez postgresql-client ou définissez PG_DUMP_PATH.',
  'dbbackup.error.psql_missing': 'psql est introuvable dans le PATH : installez postgresql-client.',
  'dbbackup.error.version_answer': '{binary} --version a donné une réponse inattendue : {answer}',
  'dbbackup.error.pg_dump_too_old':
    'pg_dump {major} ({file}) ne peut pas sauvegarder un serveur PostgreSQL {server} : installez postgresql-client-{server} ou plus récent.',
  'dbbackup.error.pg_dump_failed': 'pg_dump a échoué : {detail}',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'nav.db_backups': 'Database backups',
  'dbbackup.button': 'Back up',
  'dbbackup.button_title': 'Back up the database (Ctrl+Alt+S)',
  'dbbackup.title': 'Backup',
  'dbbackup.running': 'Database backup running',
  'dbbackup.queued': 'Waiting for a free slot...',
  'dbbackup.success_title': 'Backup complete',
  'dbbackup.error_title': 'Backup error',
  'dbbackup.cancelled': 'Backup cancelled.',
  'dbbackup.failed': 'The backup failed: {error}',
  'dbbackup.name': 'Name',
  'dbbackup.size': 'Size',
  'dbbackup.location': 'Location',
  'dbbackup.retry': 'Retry',
  'dbbackup.new': 'New backup',
  'dbbackup.close': 'Close',
  'dbbackup.step.init': 'Initialising: checking the settings...',
  'dbbackup.step.dump': 'Dumping the database...',
  'dbbackup.step.dump_table': 'Dumping table {table} ({done}/{total})...',
  'dbbackup.step.compress': 'GZIP compression...',
  'dbbackup.step.integrity': 'Checking integrity (SHA-256)...',
  'dbbackup.step.finalise': 'Finalising: JSON metadata...',
  'dbbackup.step.done': 'Done',
  'dbbackups.title': 'Database backups',
  'dbbackups.intro': 'Backups of the app’s own database, in {dir} (the {keep} newest are kept).',
  'dbbackups.empty': 'No database backup yet.',
  'dbbackups.date': 'Date',
  'dbbackups.kind': 'Kind',
  'dbbackups.kind.manual': 'manual',
  'dbbackups.kind.safety': 'before a restore',
  'dbbackups.download': 'Download',
  'dbbackups.cli': 'Restore: npm run db:backup -- --restore (the newest) or -- --restore-path <file>.',
  'dbbackup.error.no_connection':
    'The database connection cannot be backed up (it was not opened by the app).',
  'dbbackup.error.no_version': 'The database did not answer its version query.',
  'dbbackup.error.integrity':
    'The integrity check of {name} failed: the file read back differs from what was written.',
  'dbbackup.error.dir_not_writable': 'The backup directory {dir} is not writable ({code}).',
  'dbbackup.error.pg_dump_missing_at':
    'pg_dump was not found at {file} (PG_DUMP_PATH); install postgresql-client there.',
  'dbbackup.error.pg_dump_missing':
    'pg_dump was not found in PATH; install postgresql-client or set PG_DUMP_PATH.',
  'dbbackup.error.psql_missing': 'psql was not found in PATH; install postgresql-client.',
  'dbbackup.error.version_answer': '{binary} --version gave an unexpected answer: {answer}',
  'dbbackup.error.pg_dump_too_old':
    'pg_dump {major} ({file}) cannot dump a PostgreSQL {server} server; install postgresql-client-{server} or newer.',
  'dbbackup.error.pg_dump_failed': 'pg_dump failed: {detail}',
};
