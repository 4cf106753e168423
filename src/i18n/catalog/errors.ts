/**
 * @module i18n/catalog/errors: the messages of domain errors (src/errors.ts) and of the vSphere layer
 * (src/vsphere/errors.ts). French first; English must have the same keys and placeholders.
 */

export const fr = {
  'error.invalid_input': 'Saisie invalide.',
  'error.unexpected': 'Erreur inattendue : {detail}',
  'error.bad_id': 'Identifiant invalide : {value}.',
  'error.no_route': 'Aucune opération de l’API à cette adresse.',
  'error.body_json': 'Le corps de la requête doit être un objet JSON.',
  'error.auth_required': 'Authentification requise : fournissez un jeton (Authorization: Token …).',
  'error.invalid_token': 'Jeton invalide.',
  'error.metrics_token': 'Un jeton Bearer valide est requis (METRICS_TOKEN).',
  'error.bad_credentials': 'Impossible de se connecter avec ces identifiants.',
  'error.invalid_page': 'Page invalide.',
  'error.secret_unreadable':
    'Le secret enregistré ne peut pas être déchiffré : APP_SECRET a changé ou la valeur a été modifiée. Saisissez de nouveau le mot de passe du serveur.',
  'field.id': 'doit être un identifiant (entier positif)',
  'field.one_of': 'doit être l’une des valeurs : {values}',
  'vsphere.invalid_login': 'L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.',
  'vsphere.not_authenticated': 'La session avec l’hôte ESXi n’est plus valide (expirée ou fermée).',
  'vsphere.object_not_found': 'L’objet n’existe plus sur l’hôte ESXi (supprimé ou désinscrit).',
  'vsphere.restricted_version':
    'L’hôte ESXi fonctionne avec une licence gratuite (vSphere Hypervisor), qui interdit les modifications par l’API (snapshots, alimentation, inscription de VM). Installez une licence payante (par exemple vSphere Essentials) pour le sauvegarder.',
  'vsphere.fault': 'L’hôte ESXi a signalé {fault}.',
  'vsphere.fault_text': 'L’hôte ESXi a signalé {fault} : {text}.',
  'vsphere.power_already': 'La VM est déjà dans l’état {state}.',
  'vsphere.power_needed':
    'La VM est dans l’état {state} ; cette opération la demande dans l’état {requested}.',
  'vsphere.power_wrong': 'La VM n’est pas dans l’état d’alimentation que demande cette opération ({text}).',
  'vsphere.unreachable': 'Impossible de joindre l’hôte ESXi {target} : {reason}.',
  'vsphere.reason.dns': 'le nom d’hôte ne se résout pas (DNS)',
  'vsphere.reason.refused': 'la connexion a été refusée',
  'vsphere.reason.timeout': 'la connexion a expiré',
  'vsphere.reason.network': 'le réseau a échoué ({code})',
  'vsphere.reason.file_not_found': 'fichier ou datastore introuvable',
  'vsphere.not_vsphere':
    'L’hôte ESXi {target} a répondu HTTP {status} : est-ce bien un point d’accès vSphere ?',
  'vsphere.unexpected': 'Erreur inattendue en parlant à l’hôte ESXi {target} : {detail}',
  'vsphere.task_failed': 'La tâche ESXi {task} a échoué : {text}.',
  'vsphere.task_timeout': 'La tâche ESXi {task} ne s’est pas terminée à temps (toujours {state}).',
  'vsphere.no_certificate': 'L’hôte {target} n’a présenté aucun certificat TLS.',
  'vsphere.certificate_mismatch':
    'Le certificat TLS de {target} a changé : empreinte attendue {expected}, présentée {presented}. Si le certificat a été renouvelé volontairement, acceptez la nouvelle empreinte ; sinon quelqu’un intercepte peut-être la connexion.',
  'vsphere.no_placement':
    'L’hôte ESXi n’expose ni dossier de VM de datacenter ni pool de ressources où inscrire une VM.',
  'vsphere.no_session_cookie': 'L’hôte ESXi {target} n’a renvoyé aucun cookie de session.',
  'vsphere.no_method': 'La méthode vim25 {method} n’est pas dans vim.wsdl.',
  'vsphere.object_gone': 'L’objet {type} {id} n’existe plus sur l’hôte ESXi.',
  'vsphere.lease_done': 'Le bail NFC {lease} est déjà terminé : aucun transfert n’est plus possible.',
  'vsphere.no_network_system': 'L’hôte ESXi n’expose aucun système réseau (HostNetworkSystem).',
  'vsphere.portgroup_missing': 'Le portgroup « {portgroup} » n’existe pas sur l’hôte ESXi.',
  'vsphere.http.refused_read': 'L’hôte ESXi a refusé la session pour la lecture de {file}.',
  'vsphere.http.refused_upload': 'L’hôte ESXi a refusé la session pour l’envoi de {file}.',
  'vsphere.http.failed_read': 'La lecture de {file} sur le datastore a échoué : {reason}.',
  'vsphere.http.closed_read':
    'L’hôte ESXi a fermé la connexion pendant la lecture de {file}, après {bytes} octets.',
  'vsphere.http.failed_upload': 'L’envoi de {file} sur le datastore a échoué : {reason}.',
  'vsphere.no_datacenter': 'Datacenter {name} introuvable sur l’hôte ESXi.',
  'vsphere.no_manager': 'Ce point d’accès vSphere n’a pas de {manager}.',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'error.invalid_input': 'Invalid input.',
  'error.unexpected': 'Unexpected error: {detail}',
  'error.bad_id': 'Invalid id: {value}.',
  'error.no_route': 'No API operation at this address.',
  'error.body_json': 'The body must be a JSON object.',
  'error.auth_required': 'Authentication credentials were not provided (Authorization: Token …).',
  'error.invalid_token': 'Invalid token.',
  'error.metrics_token': 'A valid bearer token is required (METRICS_TOKEN).',
  'error.bad_credentials': 'Unable to log in with provided credentials.',
  'error.invalid_page': 'Invalid page.',
  'error.secret_unreadable':
    'The stored secret cannot be decrypted: APP_SECRET changed or the value was altered. Enter the server password again.',
  'field.id': 'must be an id (a positive integer)',
  'field.one_of': 'must be one of {values}',
  'vsphere.invalid_login': 'The ESXi host rejected the user name or password.',
  'vsphere.not_authenticated': 'The session with the ESXi host is no longer valid (expired or logged out).',
  'vsphere.object_not_found':
    'The object no longer exists on the ESXi host (it was deleted or unregistered).',
  'vsphere.restricted_version':
    'The ESXi host runs with a free licence (vSphere Hypervisor), which forbids changes through the API (snapshots, power operations, registering VMs). Install a paid licence (e.g. vSphere Essentials) to back it up.',
  'vsphere.fault': 'The ESXi host reported {fault}.',
  'vsphere.fault_text': 'The ESXi host reported {fault}: {text}.',
  'vsphere.power_already': 'The VM is already {state}.',
  'vsphere.power_needed': 'The VM is {state}; this operation needs it {requested}.',
  'vsphere.power_wrong': 'The VM is not in the power state this operation needs ({text}).',
  'vsphere.unreachable': 'Cannot reach the ESXi host {target}: {reason}.',
  'vsphere.reason.dns': 'the host name does not resolve (DNS)',
  'vsphere.reason.refused': 'the connection was refused',
  'vsphere.reason.timeout': 'the connection timed out',
  'vsphere.reason.network': 'the network failed ({code})',
  'vsphere.reason.file_not_found': 'file or datastore not found',
  'vsphere.not_vsphere': 'The ESXi host {target} answered HTTP {status}; is this a vSphere endpoint?',
  'vsphere.unexpected': 'Unexpected error talking to the ESXi host {target}: {detail}',
  'vsphere.task_failed': 'The ESXi task {task} failed: {text}.',
  'vsphere.task_timeout': 'The ESXi task {task} did not finish in time (still {state}).',
  'vsphere.no_certificate': 'The host {target} presented no TLS certificate.',
  'vsphere.certificate_mismatch':
    'The TLS certificate of {target} changed: expected fingerprint {expected} but the host presented {presented}. If the certificate was renewed on purpose, accept the new fingerprint; otherwise someone may be intercepting the connection.',
  'vsphere.no_placement':
    'The ESXi host exposes no datacenter VM folder or resource pool to register a VM into.',
  'vsphere.no_session_cookie': 'The ESXi host {target} returned no session cookie.',
  'vsphere.no_method': 'vim25 method {method} is not in vim.wsdl.',
  'vsphere.object_gone': 'The {type} {id} no longer exists on the ESXi host.',
  'vsphere.lease_done': 'The NFC lease {lease} has already ended: no transfer is possible any more.',
  'vsphere.no_network_system': 'The ESXi host exposes no network system (HostNetworkSystem).',
  'vsphere.portgroup_missing': 'The portgroup "{portgroup}" does not exist on the ESXi host.',
  'vsphere.http.refused_read': 'The ESXi host refused the session for the read of {file}.',
  'vsphere.http.refused_upload': 'The ESXi host refused the session for the upload of {file}.',
  'vsphere.http.failed_read': 'Datastore read of {file} failed: {reason}.',
  'vsphere.http.closed_read':
    'The ESXi host closed the connection during the read of {file}, after {bytes} bytes.',
  'vsphere.http.failed_upload': 'Datastore upload of {file} failed: {reason}.',
  'vsphere.no_datacenter': 'Datacenter {name} not found on the ESXi host.',
  'vsphere.no_manager': 'This vSphere endpoint has no {manager}.',
};
