/**
 * @module i18n/catalog/ovf-import: OVF imports (issue 16 part 3): the request checks, the job's steps and
 * errors, the Import form of the Exports page. French first; English has the same keys.
 */

export const fr = {
  'operations.type.ovf_import': 'Import OVF',
  'ovf.import.export_unknown': 'L’export OVF {id} n’existe pas.',
  'ovf.import.export_incomplete': 'L’export OVF {id} n’est pas terminé : seul un paquet complet s’importe.',
  'ovf.import.name_taken': 'Une VM nommée « {name} » existe déjà sur {server}.',
  'ovf.import.no_import_row': 'Aucun import OVF pour le job {job}.',
  'ovf.import.destination_gone': 'L’export ou l’hôte de destination n’existe plus.',
  'ovf.import.package_unreadable': 'Le paquet {path} n’a pas de descripteur .ovf.',
  'ovf.import.no_manifest':
    'Le paquet n’a pas de manifeste .mf à côté de {file} : son contenu ne peut pas être vérifié.',
  'ovf.import.manifest_invalid': 'Ligne de manifeste illisible : « {line} ».',
  'ovf.import.manifest_mismatch':
    'Le fichier {file} ne correspond pas à l’empreinte SHA-256 du manifeste : le paquet est altéré ou corrompu, rien n’a été importé.',
  'ovf.import.file_missing': 'Le fichier {file} manque au paquet.',
  'ovf.import.manifest_incomplete':
    'Le manifeste ne liste pas {file} : son contenu ne peut pas être vérifié.',
  'ovf.import.spec_refused': 'L’hôte refuse le paquet : {reasons}',
  'ovf.import.no_datastore': 'Le datastore {datastore} n’est pas sur l’hôte.',
  'ovf.import.no_device': 'Le bail d’import n’a pas de destination pour {file}.',
  'ovf.import.no_vm': 'L’hôte n’a pas dit quelle VM il a créée.',
  'ovf.import.step.checking': 'Vérification du manifeste du paquet',
  'ovf.import.step.spec': 'Préparation de l’import sur {server}',
  'ovf.import.step.upload': 'Envoi de {file}',
  'ovf.import.title': 'Importer',
  'ovf.import.server': 'Hôte ESXi',
  'ovf.import.datastore': 'Datastore',
  'ovf.import.vm_name': 'Nom de la nouvelle VM',
  'ovf.import.power_on': 'Démarrer après l’import',
  'ovf.import.submit': 'Importer',
  'ovf.import.queued': 'Import de {vm} lancé.',
};

export const en: Record<keyof typeof fr, string> = {
  'operations.type.ovf_import': 'OVF import',
  'ovf.import.export_unknown': 'OVF export {id} does not exist.',
  'ovf.import.export_incomplete': 'OVF export {id} is not complete: only a whole package can be imported.',
  'ovf.import.name_taken': 'A VM named “{name}” already exists on {server}.',
  'ovf.import.no_import_row': 'No OVF import for job {job}.',
  'ovf.import.destination_gone': 'The export or the destination host no longer exists.',
  'ovf.import.package_unreadable': 'The package {path} has no .ovf descriptor.',
  'ovf.import.no_manifest': 'The package has no .mf manifest beside {file}: its content cannot be checked.',
  'ovf.import.manifest_invalid': 'Unreadable manifest line: “{line}”.',
  'ovf.import.manifest_mismatch':
    'File {file} does not match the manifest’s SHA-256: the package is tampered with or corrupt, nothing was imported.',
  'ovf.import.file_missing': 'File {file} is missing from the package.',
  'ovf.import.manifest_incomplete': 'The manifest does not list {file}: its content cannot be checked.',
  'ovf.import.spec_refused': 'The host refuses the package: {reasons}',
  'ovf.import.no_datastore': 'Datastore {datastore} is not on the host.',
  'ovf.import.no_device': 'The import lease has no target for {file}.',
  'ovf.import.no_vm': 'The host did not say which VM it created.',
  'ovf.import.step.checking': 'Checking the package manifest',
  'ovf.import.step.spec': 'Preparing the import on {server}',
  'ovf.import.step.upload': 'Uploading {file}',
  'ovf.import.title': 'Import',
  'ovf.import.server': 'ESXi host',
  'ovf.import.datastore': 'Datastore',
  'ovf.import.vm_name': 'Name of the new VM',
  'ovf.import.power_on': 'Power on after the import',
  'ovf.import.submit': 'Import',
  'ovf.import.queued': 'Import of {vm} queued.',
};
