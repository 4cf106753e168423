// Standard virtual switches and portgroups as the vSphere API reference describes them, where govmomi 0.24's
// HostNetworkSystem falls short: it keeps only a new vSwitch's name, stores portgroup names where the API has
// keys, shows neither in the host's config.network, never answers ResourceInUse and panics removing a portgroup
// without a Network object. See vSphere API "HostNetworkSystem" (AddVirtualSwitch, RemoveVirtualSwitch,
// AddPortGroup, RemovePortGroup), "HostVirtualSwitch", "HostPortGroup" and "ResourceInUse".
package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// labNetworkSystem replaces the host's HostNetworkSystem in the registry; the methods it does not define
// (UpdateNetworkConfig, QueryNetworkHint) are the simulator's.
type labNetworkSystem struct {
	simulator.HostNetworkSystem
	host *simulator.HostSystem
}

const (
	vswitchKeyPrefix   = "key-vim.host.VirtualSwitch-"
	portgroupKeyPrefix = "key-vim.host.PortGroup-"
	maxVswitchName     = 32
)

// installNetworkSystem makes the host's HostNetworkSystem.networkInfo the host's config.network (one object, as
// on a real host: vSwitch0 with its uplink vmnic0, "VM Network" and "Management Network"), and swaps in the
// methods below.
func installNetworkSystem() {
	host := simulator.Map.Any("HostSystem").(*simulator.HostSystem)
	orig := simulator.Map.Get(*host.ConfigManager.NetworkSystem).(*simulator.HostNetworkSystem)
	ns := &labNetworkSystem{HostNetworkSystem: *orig, host: host}
	ns.NetworkInfo = host.Config.Network
	simulator.Map.Put(ns)
}

func fault(f types.BaseMethodFault) *soap.Fault { return simulator.Fault("", f) }

func (s *labNetworkSystem) vswitchIndex(name string) int {
	for i, v := range s.NetworkInfo.Vswitch {
		if v.Name == name {
			return i
		}
	}
	return -1
}

func (s *labNetworkSystem) portgroupIndex(name string) int {
	for i, pg := range s.NetworkInfo.Portgroup {
		if pg.Spec.Name == name {
			return i
		}
	}
	return -1
}

// inUse names what keeps a portgroup busy: a VMkernel adapter, or a powered-on VM with an adapter on it.
func (s *labNetworkSystem) inUse(pgName string) *types.ResourceInUse {
	for _, vnic := range s.NetworkInfo.Vnic {
		if vnic.Portgroup == pgName {
			return &types.ResourceInUse{Type: "HostVirtualNic", Name: vnic.Device}
		}
	}
	for _, obj := range simulator.Map.All("VirtualMachine") {
		vm := obj.(*simulator.VirtualMachine)
		if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn || vm.Config == nil {
			continue
		}
		for _, d := range vm.Config.Hardware.Device {
			card, ok := d.(types.BaseVirtualEthernetCard)
			if !ok {
				continue
			}
			if b, ok := card.GetVirtualEthernetCard().Backing.(*types.VirtualEthernetCardNetworkBackingInfo); ok &&
				b.DeviceName == pgName {
				return &types.ResourceInUse{Type: "VirtualMachine", Name: vm.Name}
			}
		}
	}
	return nil
}

// AddVirtualSwitch adds a standard switch: AlreadyExists for a taken name, InvalidArgument for a name over 32
// characters or a bad port count, ResourceInUse for an uplink another switch holds.
func (s *labNetworkSystem) AddVirtualSwitch(c *types.AddVirtualSwitch) soap.HasFault {
	r := &methods.AddVirtualSwitchBody{}
	if c.VswitchName == "" || len(c.VswitchName) > maxVswitchName {
		r.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "vswitchName"})
		return r
	}
	if s.vswitchIndex(c.VswitchName) >= 0 {
		r.Fault_ = fault(&types.AlreadyExists{Name: c.VswitchName})
		return r
	}
	spec := types.HostVirtualSwitchSpec{NumPorts: 128}
	if c.Spec != nil {
		spec = *c.Spec
	}
	if spec.NumPorts < 0 || spec.NumPorts > 4096 {
		r.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "spec.numPorts"})
		return r
	}
	pnics, f := s.pnicKeys(spec.Bridge)
	if f != nil {
		r.Fault_ = fault(f)
		return r
	}
	if spec.Policy == nil && len(s.NetworkInfo.Vswitch) > 0 {
		// ESXi gives a new switch its default policy; vSwitch0's, without its uplinks, stands for it.
		base := *s.NetworkInfo.Vswitch[0].Spec.Policy
		if base.NicTeaming != nil {
			teaming := *base.NicTeaming
			teaming.NicOrder = &types.HostNicOrderPolicy{}
			base.NicTeaming = &teaming
		}
		spec.Policy = &base
	}
	mtu := spec.Mtu
	if mtu == 0 {
		mtu = 1500
	}
	vswitch := types.HostVirtualSwitch{
		Name:              c.VswitchName,
		Key:               vswitchKeyPrefix + c.VswitchName,
		NumPorts:          spec.NumPorts,
		NumPortsAvailable: spec.NumPorts - int32(len(pnics)),
		Mtu:               mtu,
		Pnic:              pnics,
		Spec:              spec,
	}
	s.NetworkInfo.Vswitch = append(append([]types.HostVirtualSwitch{}, s.NetworkInfo.Vswitch...), vswitch)
	r.Res = &types.AddVirtualSwitchResponse{}
	return r
}

// RemoveVirtualSwitch removes a switch and its portgroups: NotFound for an unknown one, ResourceInUse while a
// VMkernel adapter or a powered-on VM is on one of its portgroups.
func (s *labNetworkSystem) RemoveVirtualSwitch(c *types.RemoveVirtualSwitch) soap.HasFault {
	r := &methods.RemoveVirtualSwitchBody{}
	i := s.vswitchIndex(c.VswitchName)
	if i < 0 {
		r.Fault_ = fault(&types.NotFound{})
		return r
	}
	var names []string
	for _, pg := range s.NetworkInfo.Portgroup {
		if pg.Spec.VswitchName == c.VswitchName {
			if busy := s.inUse(pg.Spec.Name); busy != nil {
				r.Fault_ = fault(busy)
				return r
			}
			names = append(names, pg.Spec.Name)
		}
	}
	for _, name := range names {
		s.dropPortgroup(name)
	}
	i = s.vswitchIndex(c.VswitchName)
	rest := append([]types.HostVirtualSwitch{}, s.NetworkInfo.Vswitch[:i]...)
	s.NetworkInfo.Vswitch = append(rest, s.NetworkInfo.Vswitch[i+1:]...)
	r.Res = &types.RemoveVirtualSwitchResponse{}
	return r
}

// AddPortGroup adds a portgroup (HostPortGroup with its key, its switch's key and policy) and its Network
// object: InvalidArgument for no name or a VLAN outside 0-4095, NotFound for an unknown switch, AlreadyExists
// for a taken name (DuplicateName when another kind of network has it).
func (s *labNetworkSystem) AddPortGroup(c *types.AddPortGroup) soap.HasFault {
	r := &methods.AddPortGroupBody{}
	spec := c.Portgrp
	switch {
	case spec.Name == "":
		r.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "portgrp.name"})
	case spec.VlanId < 0 || spec.VlanId > 4095:
		r.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "portgrp.vlanId"})
	case s.vswitchIndex(spec.VswitchName) < 0:
		r.Fault_ = fault(&types.NotFound{})
	case s.portgroupIndex(spec.Name) >= 0:
		r.Fault_ = fault(&types.AlreadyExists{Name: spec.Name})
	}
	if r.Fault_ != nil {
		return r
	}
	_, folder := networkFolder()
	if other := simulator.Map.FindByName(spec.Name, folder.ChildEntity); other != nil {
		r.Fault_ = fault(&types.DuplicateName{Name: spec.Name, Object: other.Reference()})
		return r
	}
	i := s.vswitchIndex(spec.VswitchName)
	vswitches := append([]types.HostVirtualSwitch{}, s.NetworkInfo.Vswitch...)
	vswitch := &vswitches[i]
	key := portgroupKeyPrefix + spec.Name
	vswitch.Portgroup = append(append([]string{}, vswitch.Portgroup...), key)
	computed := types.HostNetworkPolicy{}
	if vswitch.Spec.Policy != nil {
		computed = *vswitch.Spec.Policy
	}
	pg := types.HostPortGroup{Key: key, Vswitch: vswitch.Key, ComputedPolicy: computed, Spec: spec}
	s.NetworkInfo.Portgroup = append(append([]types.HostPortGroup{}, s.NetworkInfo.Portgroup...), pg)
	s.NetworkInfo.Vswitch = vswitches
	s.addNetwork(spec.Name)
	r.Res = &types.AddPortGroupResponse{}
	return r
}

// dropPortgroup removes a portgroup from networkInfo (its switch's list included) and its Network object.
func (s *labNetworkSystem) dropPortgroup(name string) {
	i := s.portgroupIndex(name)
	if i < 0 {
		return
	}
	key := s.NetworkInfo.Portgroup[i].Key
	rest := append([]types.HostPortGroup{}, s.NetworkInfo.Portgroup[:i]...)
	s.NetworkInfo.Portgroup = append(rest, s.NetworkInfo.Portgroup[i+1:]...)
	vswitches := append([]types.HostVirtualSwitch{}, s.NetworkInfo.Vswitch...)
	for j := range vswitches {
		var kept []string
		for _, k := range vswitches[j].Portgroup {
			if k != key {
				kept = append(kept, k)
			}
		}
		vswitches[j].Portgroup = kept
	}
	s.NetworkInfo.Vswitch = vswitches
	s.removeNetwork(name)
}

// RemovePortGroup removes a portgroup: NotFound for an unknown one, ResourceInUse while a VMkernel adapter or
// a powered-on VM is on it.
func (s *labNetworkSystem) RemovePortGroup(c *types.RemovePortGroup) soap.HasFault {
	r := &methods.RemovePortGroupBody{}
	if s.portgroupIndex(c.PgName) < 0 {
		r.Fault_ = fault(&types.NotFound{})
		return r
	}
	if busy := s.inUse(c.PgName); busy != nil {
		r.Fault_ = simulator.Fault(fmt.Sprintf("%s %s uses portgroup %s", busy.Type, busy.Name, c.PgName), busy)
		return r
	}
	s.dropPortgroup(c.PgName)
	r.Res = &types.RemovePortGroupResponse{}
	return r
}
