/**
 * @module i18n/catalog/storage: the storage paths page as admins manage repositories (encryption, sizes,
 * verify, garbage collection) and the steps of the repository jobs. French first; English has the same keys.
 */

export const fr = {
  'storage.encrypted': 'Chiffré',
  'storage.encrypt': 'Chiffrer le dépôt (AES-256-GCM, choix définitif)',
  'storage.encryption_warning':
    'Perdre la phrase secrète, c’est perdre les sauvegardes : sans elle (ou sans la clé maîtresse), personne ne pourra relire ce dépôt si la base de l’application ou son APP_SECRET disparaissent. Notez-la en lieu sûr.',
  'storage.passphrase': 'Phrase secrète (8 caractères au moins)',
  'storage.passphrase_confirm': 'Confirmation de la phrase secrète',
  'storage.key.title': 'Clé maîtresse du dépôt « {name} »',
  'storage.key.once':
    'Cette clé ne sera plus jamais affichée. Copiez-la maintenant et gardez-la hors de ce serveur : elle ouvre le dépôt comme la phrase secrète (npm run repository -- extract --key-file).',
  'storage.logical': 'Taille logique',
  'storage.physical': 'Taille sur disque',
  'storage.ratio': 'Ratio',
  'storage.chunks': 'Blocs',
  'storage.last_verify': 'Dernière vérification',
  'storage.last_gc': 'Dernier nettoyage',
  'storage.never': 'jamais',
  'storage.verify': 'Vérifier',
  'storage.gc': 'Nettoyer (GC)',
  'storage.job_started': 'Opération lancée ({type}) : sa progression s’affiche dans les opérations.',
  'storage.error.passphrase_required': 'requise pour un dépôt chiffré',
  'storage.error.passphrase_mismatch': 'ne correspond pas à la phrase secrète',
  'storage.error.wrong_passphrase': 'Phrase secrète incorrecte pour le dépôt chiffré de ce répertoire.',
  'storage.error.encryption_fixed': 'le chiffrement d’un dépôt ne peut plus être changé après sa création',
  'storage.error.repository_encrypted':
    'ce répertoire contient un dépôt chiffré : cochez « chiffré » et donnez sa phrase secrète',
  'storage.error.repository_plain': 'ce répertoire contient déjà un dépôt non chiffré',
  'storage.error.not_a_repository':
    'Le chemin « {name} » ne contient pas encore de dépôt : il en devient un à sa première sauvegarde.',
  'storage.error.job_active': 'Une opération « {type} » de ce dépôt est déjà en attente ou en cours.',
  'storage.step.verify_chunks': 'Vérification des blocs ({done}/{total})',
  'storage.step.verify_done': '{points} points de restauration vérifiés, {corrupt} corrompus',
  'storage.step.measure': 'Mesure de la taille du dépôt',
  'storage.step.gc_waiting': 'Attente de la fin d’un autre nettoyage de ce dépôt',
  'storage.step.gc_mark': 'Marquage des blocs utilisés (index {done}/{total})',
  'storage.step.gc_sweep': 'Suppression des blocs inutilisés ({done} examinés)',
  'storage.step.gc_done': '{removed} blocs supprimés, {kept} conservés',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'storage.encrypted': 'Encrypted',
  'storage.encrypt': 'Encrypt the repository (AES-256-GCM, cannot be changed later)',
  'storage.encryption_warning':
    'Losing the passphrase loses the backups: without it (or the master key), nobody can read this repository if the app’s database or its APP_SECRET is gone. Write it down somewhere safe.',
  'storage.passphrase': 'Passphrase (at least 8 characters)',
  'storage.passphrase_confirm': 'Confirm the passphrase',
  'storage.key.title': 'Master key of repository “{name}”',
  'storage.key.once':
    'This key will never be shown again. Copy it now and keep it off this server: it opens the repository like the passphrase (npm run repository -- extract --key-file).',
  'storage.logical': 'Logical size',
  'storage.physical': 'Size on disk',
  'storage.ratio': 'Ratio',
  'storage.chunks': 'Chunks',
  'storage.last_verify': 'Last verify',
  'storage.last_gc': 'Last GC',
  'storage.never': 'never',
  'storage.verify': 'Verify',
  'storage.gc': 'Garbage collect',
  'storage.job_started': 'Operation started ({type}): its progress shows in the operations.',
  'storage.error.passphrase_required': 'required for an encrypted repository',
  'storage.error.passphrase_mismatch': 'does not match the passphrase',
  'storage.error.wrong_passphrase': 'Wrong passphrase for the encrypted repository in this directory.',
  'storage.error.encryption_fixed': 'the encryption of a repository cannot be changed after it was created',
  'storage.error.repository_encrypted':
    'this directory holds an encrypted repository: tick “encrypted” and give its passphrase',
  'storage.error.repository_plain': 'this directory already holds an unencrypted repository',
  'storage.error.not_a_repository':
    'Storage path “{name}” holds no repository yet: it becomes one with its first backup.',
  'storage.error.job_active': 'An operation “{type}” of this repository is already waiting or running.',
  'storage.step.verify_chunks': 'Verifying chunks ({done}/{total})',
  'storage.step.verify_done': '{points} restore points verified, {corrupt} corrupt',
  'storage.step.measure': 'Measuring the repository',
  'storage.step.gc_waiting': 'Waiting for another garbage collection of this repository',
  'storage.step.gc_mark': 'Marking the chunks in use (index {done}/{total})',
  'storage.step.gc_sweep': 'Removing unused chunks ({done} looked at)',
  'storage.step.gc_done': '{removed} chunks removed, {kept} kept',
};
