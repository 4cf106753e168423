// Network objects of the portgroups labNetworkSystem makes (network.go), and its uplink checks.
package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// networkFolder is the datacenter's network folder, where the Network objects of portgroups live.
func networkFolder() (*simulator.Datacenter, *simulator.Folder) {
	dc := simulator.Map.Any("Datacenter").(*simulator.Datacenter)
	return dc, simulator.Map.Get(dc.NetworkFolder).(*simulator.Folder)
}

// addNetwork creates the Network object of a new portgroup (the backing a VM's adapter names), as the
// simulator's own folderPutChild does: in the network folder, the datacenter's and the host's lists.
func (s *labNetworkSystem) addNetwork(name string) {
	dc, folder := networkFolder()
	if simulator.Map.FindByName(name, folder.ChildEntity) != nil {
		return
	}
	network := &mo.Network{Name: name}
	network.Entity().Name = name
	simulator.Map.NewEntity(network)
	simulator.Map.WithLock(folder, func() { folder.ChildEntity = append(folder.ChildEntity, network.Self) })
	simulator.Map.PutEntity(folder, network)
	network.Summary = &types.NetworkSummary{Network: &network.Self, Name: name, Accessible: true}
	network.Host = []types.ManagedObjectReference{s.host.Self}
	simulator.Map.AddReference(dc, &dc.Network, network.Self)
	simulator.Map.AddReference(s.host, &s.host.Network, network.Self)
}

func removeRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	out := make([]types.ManagedObjectReference, 0, len(refs))
	for _, r := range refs {
		if r != ref {
			out = append(out, r)
		}
	}
	return out
}

func (s *labNetworkSystem) removeNetwork(name string) {
	dc, folder := networkFolder()
	e := simulator.Map.FindByName(name, folder.ChildEntity)
	if e == nil {
		return
	}
	ref := e.Reference()
	simulator.Map.Remove(ref)
	simulator.Map.WithLock(folder, func() { folder.ChildEntity = removeRef(folder.ChildEntity, ref) })
	simulator.Map.WithLock(dc, func() { dc.Network = removeRef(dc.Network, ref) })
	simulator.Map.WithLock(s.host, func() { s.host.Network = removeRef(s.host.Network, ref) })
}

// pnicKeys checks a bridge's devices (they must exist and be free) and returns their PhysicalNic keys.
func (s *labNetworkSystem) pnicKeys(bridge types.BaseHostVirtualSwitchBridge) ([]string, types.BaseMethodFault) {
	bond, ok := bridge.(*types.HostVirtualSwitchBondBridge)
	if bridge == nil || !ok {
		if bridge != nil {
			return nil, &types.InvalidArgument{InvalidProperty: "spec.bridge"}
		}
		return nil, nil
	}
	var keys []string
	for _, device := range bond.NicDevice {
		key := ""
		for _, p := range s.NetworkInfo.Pnic {
			if p.Device == device {
				key = p.Key
			}
		}
		if key == "" {
			return nil, &types.InvalidArgument{InvalidProperty: "spec.bridge.nicDevice"}
		}
		for _, v := range s.NetworkInfo.Vswitch {
			for _, used := range v.Pnic {
				if used == key {
					return nil, &types.ResourceInUse{Type: "PhysicalNic", Name: device}
				}
			}
		}
		keys = append(keys, key)
	}
	return keys, nil
}
