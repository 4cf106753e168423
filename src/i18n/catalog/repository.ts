/** @module i18n/catalog/repository: messages for backup repositories (chunks, indexes, encryption). French first; English must have the same keys. */

export const fr = {
  'repository.error.repository_not_found': '{dir} n’est pas un dépôt de sauvegarde (repository.json absent).',
  'repository.error.repository_bad_config': 'La configuration du dépôt {dir} est illisible : {detail}',
  'repository.error.repository_exists': '{dir} est déjà un dépôt de sauvegarde.',
  'repository.error.repository_wrong_passphrase':
    'Phrase secrète ou clé incorrecte pour le dépôt chiffré {dir}.',
  'repository.error.repository_passphrase_required':
    'Le dépôt {dir} est chiffré : sa phrase secrète ou sa clé est nécessaire.',
  'repository.error.chunk_corrupt':
    'Le bloc {digest} de {file} est corrompu ou absent : son contenu ne correspond plus à son empreinte.',
  'repository.error.index_corrupt': 'L’index {file} est corrompu : {detail}',
  'repository.error.file_corrupt':
    '{file} est corrompu : son empreinte ne correspond pas à celle de l’index.',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'repository.error.repository_not_found': '{dir} is not a backup repository (no repository.json).',
  'repository.error.repository_bad_config': 'The configuration of repository {dir} cannot be read: {detail}',
  'repository.error.repository_exists': '{dir} is already a backup repository.',
  'repository.error.repository_wrong_passphrase':
    'Wrong passphrase or key for the encrypted repository {dir}.',
  'repository.error.repository_passphrase_required':
    'Repository {dir} is encrypted: its passphrase or key is required.',
  'repository.error.chunk_corrupt':
    'Chunk {digest} of {file} is corrupt or missing: its content no longer matches its digest.',
  'repository.error.index_corrupt': 'Index {file} is corrupt: {detail}',
  'repository.error.file_corrupt': '{file} is corrupt: its digest does not match the index.',
};
