/**
 * @module i18n/catalog/ovf-host: OVF export straight from the host (ExportVm and its lease, issue 16): the
 * request check, the job's steps and errors, and the VM page's Export section. French first; English has the
 * same keys.
 */

export const fr = {
  'ovf.request.vm_not_off':
    'La VM {vm} est {state} : seule une VM éteinte s’exporte depuis son hôte. Éteignez-la, ou exportez un de ses points de restauration (vm_backup).',
  'ovf.step.lease': 'Préparation de l’export sur l’hôte (ExportVm)',
  'ovf.step.download': 'Téléchargement du disque {disk} depuis l’hôte',
  'ovf.error.vm_not_off':
    'L’hôte refuse d’exporter la VM {vm} : elle n’est pas éteinte. Éteignez-la, ou exportez un de ses points de restauration.',
  'ovf.error.vm_gone': 'La VM {vm} n’est plus dans l’inventaire.',
  'ovf.error.server_gone': 'L’hôte de la VM {vm} n’est plus enregistré.',
  'ovf.error.disk_count':
    'L’hôte propose {urls} disque(s) à télécharger pour {disks} disque(s) dans la configuration.',
  'ovf.error.transfer_broken':
    'L’hôte a coupé le téléchargement du disque {disk} après {bytes} octets (bail d’export terminé ?).',
  'ovf.vm_intro_host': 'La VM est éteinte : l’export lit ses disques directement sur l’hôte (ExportVm).',
  'ovf.export_host': 'Exporter depuis l’hôte (OVF)',
  'ovf.export_host_ova': 'Exporter depuis l’hôte (OVA)',
  'ovf.vm_intro_running':
    'La VM est allumée : l’hôte n’exporte qu’une VM éteinte. Ces boutons exportent son dernier point de restauration terminé, sans toucher à l’hôte.',
  'ovf.vm_no_source':
    'La VM est allumée et n’a aucun point de restauration terminé : éteignez-la pour l’exporter depuis son hôte, ou sauvegardez-la d’abord.',
};

export const en: Record<keyof typeof fr, string> = {
  'ovf.request.vm_not_off':
    'VM {vm} is {state}: only a powered-off VM is exported from its host. Power it off, or export one of its restore points (vm_backup).',
  'ovf.step.lease': 'Preparing the export on the host (ExportVm)',
  'ovf.step.download': 'Downloading disk {disk} from the host',
  'ovf.error.vm_not_off':
    'The host refuses to export VM {vm}: it is not powered off. Power it off, or export one of its restore points.',
  'ovf.error.vm_gone': 'VM {vm} is no longer in the inventory.',
  'ovf.error.server_gone': 'The host of VM {vm} is no longer registered.',
  'ovf.error.disk_count':
    'The host offers {urls} disk(s) to download for {disks} disk(s) in the configuration.',
  'ovf.error.transfer_broken':
    'The host cut the download of disk {disk} after {bytes} bytes (export lease ended?).',
  'ovf.vm_intro_host': 'The VM is powered off: the export reads its disks straight from the host (ExportVm).',
  'ovf.export_host': 'Export from the host (OVF)',
  'ovf.export_host_ova': 'Export from the host (OVA)',
  'ovf.vm_intro_running':
    'The VM is powered on: a host exports only a powered-off VM. These buttons export its newest completed restore point, without touching the host.',
  'ovf.vm_no_source':
    'The VM is powered on and has no completed restore point: power it off to export it from its host, or back it up first.',
};
