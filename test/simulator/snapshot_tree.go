// The VM's snapshot tree (snapshot.rootSnapshotList, snapshot.currentSnapshot) as RemoveSnapshot_Task leaves
// it: the removed snapshot's children take its place under its parent, the current snapshot becomes its parent
// when it was the current one, and a VM without snapshots has no `snapshot` property. See vSphere API
// "VirtualMachineSnapshotInfo", "VirtualMachineSnapshotTree".
package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// snapshotsOf lists every snapshot object of the VM, walking its tree.
func snapshotsOf(vm *simulator.VirtualMachine) []*simulator.VirtualMachineSnapshot {
	var out []*simulator.VirtualMachineSnapshot
	var walk func([]types.VirtualMachineSnapshotTree)
	walk = func(list []types.VirtualMachineSnapshotTree) {
		for _, item := range list {
			if s, ok := simulator.Map.Get(item.Snapshot).(*simulator.VirtualMachineSnapshot); ok {
				out = append(out, s)
			}
			walk(item.ChildSnapshotList)
		}
	}
	if vm.Snapshot != nil {
		walk(vm.Snapshot.RootSnapshotList)
	}
	return out
}

// spliced returns the tree without `ref`, its children in its place, and the parent it had (nil at the root).
func spliced(list []types.VirtualMachineSnapshotTree, ref types.ManagedObjectReference, parent *types.ManagedObjectReference) (
	[]types.VirtualMachineSnapshotTree, *types.ManagedObjectReference, bool) {
	var out []types.VirtualMachineSnapshotTree
	for i, item := range list {
		if item.Snapshot == ref {
			out = append(out, item.ChildSnapshotList...)
			return append(out, list[i+1:]...), parent, true
		}
		self := item.Snapshot
		children, p, found := spliced(item.ChildSnapshotList, ref, &self)
		item.ChildSnapshotList = children
		out = append(out, item)
		if found {
			return append(out, list[i+1:]...), p, true
		}
	}
	return out, nil, false
}

// untree takes a snapshot out of the VM's tree. Called with the VM locked.
// @returns the snapshot's parent, nil for a root snapshot.
func untree(ctx *simulator.Context, vm *simulator.VirtualMachine, snap *simulator.VirtualMachineSnapshot) *types.ManagedObjectReference {
	if vm.Snapshot == nil {
		return nil
	}
	tree, parent, _ := spliced(vm.Snapshot.RootSnapshotList, snap.Self, nil)
	changes := []types.PropertyChange{{Name: "snapshot.rootSnapshotList", Val: tree}}
	if cur := vm.Snapshot.CurrentSnapshot; cur != nil && *cur == snap.Self {
		changes = append(changes, types.PropertyChange{Name: "snapshot.currentSnapshot", Val: parent})
	}
	if len(tree) == 0 {
		changes = []types.PropertyChange{{Name: "snapshot", Val: nil}}
	}
	ctx.Map.Update(vm, changes)
	return parent
}
