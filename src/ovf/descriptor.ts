/**
 * @module ovf/descriptor: the `<name>.ovf` of a package, an OVF 1.0 envelope laid out as `ovftool` and
 * `govc export.ovf` write it: References (one File per VMDK), DiskSection, NetworkSection, and one
 * VirtualSystem whose VirtualHardwareSection holds CPU, memory, a SCSI controller, the disks and the NICs.
 * Pure: text only. @see DMTF DSP0243 1.0 (OVF), CIM_ResourceAllocationSettingData resource types.
 */

/** A disk of the package: its VMDK file and the virtual capacity (bytes). */
export interface OvfDisk {
  fileName: string;
  fileSize: number;
  capacityBytes: number;
  label: string;
}

/** A NIC: the network it was connected to and the adapter (`vmxnet3`, `e1000`...). */
export interface OvfNic {
  network: string;
  adapter: string;
}

/** What the descriptor describes. */
export interface OvfSystem {
  name: string;
  /** vSphere guestId (`otherGuest64`), written as vmw:osType. */
  guestId: string;
  guestOs: string;
  numCpu: number;
  memoryMb: number;
  disks: OvfDisk[];
  nics: OvfNic[];
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const FORMAT = 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized';

/** One `<Item>` of the hardware section. */
function item(fields: Array<[string, string | number]>): string {
  const body = fields.map(([k, v]) => `        <rasd:${k}>${esc(String(v))}</rasd:${k}>`).join('\n');
  return `      <Item>\n${body}\n      </Item>`;
}

/** The hardware items in the order ovftool writes them (CPU, memory, controller, disks, NICs). */
function hardware(s: OvfSystem): string[] {
  let id = 1;
  const items = [
    item([
      ['AllocationUnits', 'hertz * 10^6'],
      ['Description', 'Number of Virtual CPUs'],
      ['ElementName', `${s.numCpu} virtual CPU(s)`],
      ['InstanceID', id++],
      ['ResourceType', 3],
      ['VirtualQuantity', s.numCpu],
    ]),
    item([
      ['AllocationUnits', 'byte * 2^20'],
      ['Description', 'Memory Size'],
      ['ElementName', `${s.memoryMb}MB of memory`],
      ['InstanceID', id++],
      ['ResourceType', 4],
      ['VirtualQuantity', s.memoryMb],
    ]),
  ];
  const controller = id++;
  items.push(
    item([
      ['Address', 0],
      ['Description', 'SCSI Controller'],
      ['ElementName', 'SCSI Controller 0'],
      ['InstanceID', controller],
      ['ResourceSubType', 'lsilogic'],
      ['ResourceType', 6],
    ]),
  );
  s.disks.forEach((d, i) => {
    items.push(
      item([
        ['AddressOnParent', i],
        ['ElementName', d.label || `Hard disk ${i + 1}`],
        ['HostResource', `ovf:/disk/vmdisk${i + 1}`],
        ['InstanceID', id++],
        ['Parent', controller],
        ['ResourceType', 17],
      ]),
    );
  });
  s.nics.forEach((n, i) => {
    items.push(
      item([
        ['AddressOnParent', 7 + i],
        ['AutomaticAllocation', 'true'],
        ['Connection', n.network],
        ['Description', `${n.adapter} ethernet adapter on "${n.network}"`],
        ['ElementName', `Network adapter ${i + 1}`],
        ['InstanceID', id++],
        ['ResourceSubType', n.adapter],
        ['ResourceType', 10],
      ]),
    );
  });
  return items;
}

/**
 * The OVF descriptor text (UTF-8 XML, LF line ends).
 * @param s the VM's configuration and the package's VMDKs (file sizes in bytes).
 */
export function ovfDescriptor(s: OvfSystem): string {
  const networks = [...new Set(s.nics.map((n) => n.network))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Envelope vmw:buildId="ebm" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <References>',
    ...s.disks.map(
      (d, i) => `    <File ovf:href="${esc(d.fileName)}" ovf:id="file${i + 1}" ovf:size="${d.fileSize}"/>`,
    ),
    '  </References>',
    '  <DiskSection>',
    '    <Info>Virtual disk information</Info>',
    ...s.disks.map(
      (d, i) =>
        `    <Disk ovf:capacity="${d.capacityBytes}" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk${i + 1}" ovf:fileRef="file${i + 1}" ovf:format="${FORMAT}"/>`,
    ),
    '  </DiskSection>',
    '  <NetworkSection>',
    '    <Info>The list of logical networks</Info>',
    ...networks.map(
      (n) =>
        `    <Network ovf:name="${esc(n)}">\n      <Description>The ${esc(n)} network</Description>\n    </Network>`,
    ),
    '  </NetworkSection>',
    `  <VirtualSystem ovf:id="${esc(s.name)}">`,
    '    <Info>A virtual machine</Info>',
    `    <Name>${esc(s.name)}</Name>`,
    `    <OperatingSystemSection ovf:id="1" vmw:osType="${esc(s.guestId)}">`,
    '      <Info>The kind of installed guest operating system</Info>',
    `      <Description>${esc(s.guestOs || s.guestId)}</Description>`,
    '    </OperatingSystemSection>',
    '    <VirtualHardwareSection>',
    '      <Info>Virtual hardware requirements</Info>',
    '      <System>',
    '        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>',
    '        <vssd:InstanceID>0</vssd:InstanceID>',
    `        <vssd:VirtualSystemIdentifier>${esc(s.name)}</vssd:VirtualSystemIdentifier>`,
    '        <vssd:VirtualSystemType>vmx-08</vssd:VirtualSystemType>',
    '      </System>',
    ...hardware(s),
    '    </VirtualHardwareSection>',
    '  </VirtualSystem>',
    '</Envelope>',
    '',
  ];
  return lines.join('\n');
}
