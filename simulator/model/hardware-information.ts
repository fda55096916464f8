// getHardwareInformation() returns dmidecode output; the KB treats "'dmidecode' in result" as
// "node is online", so a node that is off or still booting returns '' (the reference leaves the
// offline answer open; an empty string keeps that check working without a fault).

export function dmidecodeText(nodeName: string, nodeNumber: number): string {
  const hex = nodeNumber.toString(16).padStart(2, '0');
  return [
    '# dmidecode 3.2',
    'Getting SMBIOS data from sysfs.',
    'SMBIOS 2.8 present.',
    '',
    'Handle 0x0001, DMI type 1, 27 bytes',
    'System Information',
    '\tManufacturer: VMware, Inc.',
    '\tProduct Name: VMware Virtual Platform',
    '\tVersion: None',
    `\tSerial Number: VMware-56 4d 00 00 00 00 00 ${hex}-00 00 00 00 00 00 00 ${hex}`,
    `\tUUID: 564d0000-0000-00${hex}-0000-0000000000${hex}`,
    '\tWake-up Type: Power Switch',
    `\tSKU Number: ${nodeName}`,
    '\tFamily: Not Specified',
    '',
  ].join('\n');
}
