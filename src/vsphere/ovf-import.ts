/**
 * @module vsphere/ovf-import — the two calls that start an OVF import on a host: `OvfManager.CreateImportSpec`
 * (the host reads the descriptor and answers the VM's config spec, the files to upload and its errors) and
 * `ResourcePool.ImportVApp` (creates the VM and answers the HttpNfcLease the files are uploaded through,
 * see nfc-lease.ts). The import spec goes back to the host as it came, with every xsi:type (`wireValue`).
 * Reference: vSphere API "OvfManager.CreateImportSpec", "OvfCreateImportSpecParams", "OvfCreateImportSpecResult",
 * "OvfFileItem", "ResourcePool.ImportVApp", "VirtualMachineImportSpec".
 */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { VSphereError } from './errors.js';
import { asArray, asBool, asMoRef, asNumber, asRecord, asString, isMoRef, type MoRef } from './normalize.js';

/** A file of the package the host wants uploaded (OvfFileItem). */
export interface ImportFileItem {
  /** Matches the lease device's `importKey`. */
  deviceId: string;
  /** The file's `href` in the descriptor (relative to the package). */
  path: string;
  /** Bytes, as the descriptor says (0 when unknown). */
  size: number;
  /** True for a file the lease creates (PUT), false for a disk (POST). */
  create: boolean;
}

/** What CreateImportSpec answered. */
export interface ImportSpecResult {
  /** The ImportSpec, normalised (`_type` kept): pass it to {@link importVApp} unchanged. */
  importSpec: Record<string, unknown> | null;
  fileItems: ImportFileItem[];
  /** The host's `error` messages (the import must not start when there is any). */
  errors: string[];
}

/** Inputs of {@link createImportSpec}. */
export interface ImportSpecRequest {
  descriptor: string;
  pool: MoRef;
  datastore: MoRef;
  /** The new VM's name. */
  entityName: string;
  host?: MoRef;
  /** Descriptor network name -> host network. */
  networkMapping?: Array<{ name: string; network: MoRef }>;
}

const messages = (v: unknown): string[] =>
  asArray(v).map((f) => {
    const r = asRecord(f);
    return asString(r.localizedMessage) || asString(asRecord(r.fault)._type, 'SystemError');
  });

/**
 * Asks the host to validate the descriptor and build the VM's import spec (thin disks, default deployment option).
 * @returns the spec, the files to upload and the host's errors.
 * @throws VSphereError when the host refuses the call itself (e.g. `InvalidArgument` for a malformed descriptor).
 */
export async function createImportSpec(
  client: VSphereClient,
  req: ImportSpecRequest,
): Promise<ImportSpecResult> {
  const ovfManager = asMoRef(client.serviceContent.ovfManager);
  if (!ovfManager) throw new VSphereError('Fault', msg('vsphere.no_manager', { manager: 'OvfManager' }));
  const result = asRecord(
    await client.call('CreateImportSpec', {
      _this: ovfManager,
      ovfDescriptor: req.descriptor,
      resourcePool: req.pool,
      datastore: req.datastore,
      cisp: {
        locale: '',
        deploymentOption: '',
        entityName: req.entityName,
        ...(req.host ? { hostSystem: req.host } : {}),
        ...(req.networkMapping?.length ? { networkMapping: req.networkMapping } : {}),
        diskProvisioning: 'thin',
      },
    }),
  );
  const spec = asRecord(result.importSpec);
  return {
    importSpec: Object.keys(spec).length ? spec : null,
    fileItems: asArray(result.fileItem).map((raw) => {
      const f = asRecord(raw);
      return {
        deviceId: asString(f.deviceId),
        path: asString(f.path),
        size: asNumber(f.size) ?? 0,
        create: asBool(f.create) ?? false,
      };
    }),
    errors: messages(result.error),
  };
}

const vim = (type: string) => ({ xsi_type: { type, xmlns: 'urn:vim25' } });
const XSD = { prefix: 'xsd', xmlns: 'http://www.w3.org/2001/XMLSchema' };

/** An anyType leaf (OptionValue.value) with its xsd type, as the host needs it. */
function anyLeaf(v: unknown): unknown {
  const type =
    typeof v === 'number'
      ? Number.isInteger(v)
        ? 'long'
        : 'double'
      : typeof v === 'boolean'
        ? 'boolean'
        : 'string';
  return { attributes: { xsi_type: { type, ...XSD } }, $value: String(v) };
}

/**
 * The inverse of `normalize` for a data object sent back to the host: `_type` becomes the element's xsi:type
 * (node-soap's `attributes.xsi_type`), key order (the schema's, as the host sent it) is kept, MoRefs stay
 * `{type, value}` (the client encodes them), an OptionValue's `value` gets its xsd type.
 */
export function wireValue(value: unknown, parentType?: string, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => wireValue(v, parentType, key));
  if (parentType === 'OptionValue' && key === 'value' && typeof value !== 'object') return anyLeaf(value);
  if (typeof value !== 'object' || value === null || isMoRef(value)) return value;
  const rec = value as Record<string, unknown>;
  const type = typeof rec._type === 'string' ? rec._type : undefined;
  const out: Record<string, unknown> = type ? { attributes: vim(type) } : {};
  for (const [k, v] of Object.entries(rec)) {
    if (k !== '_type' && v !== null && v !== undefined) out[k] = wireValue(v, type, k);
  }
  return out;
}

/**
 * Creates the VM of an import spec and the lease to upload its files through (ResourcePool.ImportVApp).
 * @param spec the `importSpec` of {@link createImportSpec}.
 * @returns the HttpNfcLease (state `initializing`, then `ready`; see nfc-lease.ts).
 * @throws VSphereError (e.g. `DuplicateName`, `InvalidArgument`, `InsufficientResourcesFault`).
 */
export async function importVApp(
  client: VSphereClient,
  placement: { pool: MoRef; vmFolder: MoRef; host?: MoRef },
  spec: Record<string, unknown>,
): Promise<MoRef> {
  const lease = asMoRef(
    await client.call('ImportVApp', {
      _this: placement.pool,
      spec: wireValue(spec),
      folder: placement.vmFolder,
      ...(placement.host ? { host: placement.host } : {}),
    }),
  );
  if (!lease) throw new VSphereError('Fault', msg('vsphere.no_lease', { method: 'ImportVApp' }));
  return lease;
}
