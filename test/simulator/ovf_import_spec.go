// OvfManager.CreateImportSpec as ESXi answers it, where govmomi 0.24 falls short: the OVF envelope's
// `vmw:ExtraConfig` entries of the VirtualHardwareSection become the spec's `configSpec.extraConfig` (the
// simulator dropped them), and a disk whose `ovf:capacityAllocationUnits` is absent has its capacity in
// bytes, the OVF default (the simulator took the number as KB). The companion calls the simulator's
// CreateImportSpec and corrects its answer. See vSphere API "OvfManager.CreateImportSpec", DMTF DSP0243 1.0
// section 8.3 (DiskSection: capacity in bytes unless capacityAllocationUnits says otherwise).
package main

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// ovfManagerMethods is the OvfManager's companion (CreateImportSpec).
type ovfManagerMethods struct {
	mo.ExtensibleManagedObject
	manager types.ManagedObjectReference
}

// importEnvelope is what the corrections read from the descriptor.
type importEnvelope struct {
	Disks []struct {
		ID    string  `xml:"diskId,attr"`
		Size  string  `xml:"capacity,attr"`
		Units *string `xml:"capacityAllocationUnits,attr"`
	} `xml:"DiskSection>Disk"`
	Hardware []struct {
		Items []struct {
			Type     string   `xml:"ResourceType"`
			Resource []string `xml:"HostResource"`
		} `xml:"Item"`
		Extra []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:"value,attr"`
		} `xml:"http://www.vmware.com/schema/ovf ExtraConfig"`
	} `xml:"VirtualSystem>VirtualHardwareSection"`
}

// CreateImportSpec runs the simulator's CreateImportSpec, then adds the extra configuration and corrects the
// capacity of disks given in bytes.
func (m *ovfManagerMethods) CreateImportSpec(ctx *simulator.Context, req *types.CreateImportSpec) soap.HasFault {
	manager, ok := simulator.Map.Get(m.manager).(*simulator.OvfManager)
	if !ok {
		return &methods.CreateImportSpecBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: m.manager})}
	}
	req.This = m.manager
	res := manager.CreateImportSpec(ctx, req)
	body, ok := res.(*methods.CreateImportSpecBody)
	if !ok || body.Res == nil {
		return res
	}
	spec, ok := body.Res.Returnval.ImportSpec.(*types.VirtualMachineImportSpec)
	var env importEnvelope
	if !ok || xml.Unmarshal([]byte(req.OvfDescriptor), &env) != nil || len(env.Hardware) == 0 {
		return res
	}
	hw := env.Hardware[0]
	for _, e := range hw.Extra {
		spec.ConfigSpec.ExtraConfig = append(spec.ConfigSpec.ExtraConfig, &types.OptionValue{Key: e.Key, Value: e.Value})
	}
	var disks []*types.VirtualDisk
	for _, change := range spec.ConfigSpec.DeviceChange {
		if d, ok := change.GetVirtualDeviceConfigSpec().Device.(*types.VirtualDisk); ok {
			disks = append(disks, d)
		}
	}
	n := 0
	for _, item := range hw.Items {
		if strings.TrimSpace(item.Type) != "17" || n >= len(disks) {
			continue
		}
		for _, desc := range env.Disks {
			if len(item.Resource) > 0 && strings.HasSuffix(item.Resource[0], "/"+desc.ID) && desc.Units == nil {
				if b, err := strconv.ParseInt(desc.Size, 10, 64); err == nil {
					disks[n].CapacityInKB = b / 1024
				}
			}
		}
		n++
	}
	return res
}
