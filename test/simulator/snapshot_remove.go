// RemoveSnapshot_Task and RemoveAllSnapshots_Task with consolidation, as ESXi does them: removing snapshot S
// writes the delta link the VM moved onto when S was taken back into its parent link, and every chain that went
// through that delta (the VM's, later snapshots') now goes straight to the parent; with the last snapshot gone
// the VM is back on its base disk, holding every write. Only S's own files go: its .vmsn and that delta's
// descriptor and extent, found by name. govmomi 0.24 deletes the files whose layout keys the snapshot recorded,
// and RefreshStorageInfo renumbers keys, so a second removal could delete a disk. A removal is a stun/unstun
// cycle (change tracking state applies). See vSphere API "VirtualMachineSnapshot.RemoveSnapshot_Task".
package main

import (
	"os"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// RemoveSnapshotTask removes the snapshot (and with removeChildren its subtree), consolidating.
func (m *snapshotMethods) RemoveSnapshotTask(ctx *simulator.Context, req *types.RemoveSnapshot_Task) soap.HasFault {
	snap := ctx.Map.Get(m.snapshot).(*simulator.VirtualMachineSnapshot)
	vm := ctx.Map.Get(snap.Vm).(*simulator.VirtualMachine)
	task := simulator.CreateTask(snap, "removeSnapshot", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		var fault types.BaseMethodFault
		ctx.Map.WithLock(vm, func() {
			fault = removeTree(ctx, vm, m.snapshot, req.RemoveChildren)
			stun(vm)
			refreshLayout(vm)
		})
		return nil, fault
	})
	return &methods.RemoveSnapshot_TaskBody{Res: &types.RemoveSnapshot_TaskResponse{Returnval: task.Run()}}
}

// RemoveAllSnapshotsTask removes every snapshot of the VM, oldest first, consolidating each.
func (m *vmMethods) RemoveAllSnapshotsTask(ctx *simulator.Context, req *types.RemoveAllSnapshots_Task) soap.HasFault {
	vm := m.machine()
	task := simulator.CreateTask(vm, "removeAllSnapshots", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		var fault types.BaseMethodFault
		ctx.Map.WithLock(vm, func() {
			for fault == nil && vm.Snapshot != nil && len(vm.Snapshot.RootSnapshotList) > 0 {
				fault = removeOne(ctx, vm, vm.Snapshot.RootSnapshotList[0].Snapshot)
			}
			stun(vm)
			refreshLayout(vm)
		})
		return nil, fault
	})
	return &methods.RemoveAllSnapshots_TaskBody{Res: &types.RemoveAllSnapshots_TaskResponse{Returnval: task.Run()}}
}

// removeTree removes a snapshot, its children first when asked. Called with the VM locked.
func removeTree(ctx *simulator.Context, vm *simulator.VirtualMachine, ref types.ManagedObjectReference, children bool) types.BaseMethodFault {
	if children {
		if snap, ok := ctx.Map.Get(ref).(*simulator.VirtualMachineSnapshot); ok {
			for _, child := range append([]types.ManagedObjectReference(nil), snap.ChildSnapshot...) {
				if fault := removeTree(ctx, vm, child, true); fault != nil {
					return fault
				}
			}
		}
	}
	return removeOne(ctx, vm, ref)
}

// removeOne consolidates the snapshot's deltas, takes it out of the tree and deletes its own files.
func removeOne(ctx *simulator.Context, vm *simulator.VirtualMachine, ref types.ManagedObjectReference) types.BaseMethodFault {
	snap, ok := ctx.Map.Get(ref).(*simulator.VirtualMachineSnapshot)
	if !ok {
		return &types.ManagedObjectNotFound{Obj: ref}
	}
	if files := filesOf(ref); files != nil {
		for key, name := range files.deltas {
			if fault := consolidate(ctx, vm, key, name); fault != nil {
				return fault
			}
		}
		if files.vmsn != "" {
			_ = os.Remove(files.vmsn)
		}
	}
	parent := untree(ctx, vm, snap)
	if parent != nil {
		if p, ok := ctx.Map.Get(*parent).(*simulator.VirtualMachineSnapshot); ok {
			var kids []types.ManagedObjectReference
			for _, c := range p.ChildSnapshot {
				if c != ref {
					kids = append(kids, c)
				}
			}
			p.ChildSnapshot = append(kids, snap.ChildSnapshot...)
		}
	}
	ctx.Map.Remove(ref)
	if ctx.Map.Get(companionOf(ref)) != nil {
		ctx.Map.Remove(companionOf(ref))
	}
	snapshotsMu.Lock()
	delete(made, ref.Value)
	snapshotsMu.Unlock()
	return nil
}

// consolidate merges delta link `name` of disk `key` into its parent and takes it out of every chain.
func consolidate(ctx *simulator.Context, vm *simulator.VirtualMachine, key int32, name string) types.BaseMethodFault {
	heads := []*types.VirtualDisk{}
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		if disk.Key == key {
			heads = append(heads, disk)
		}
	}
	for _, s := range snapshotsOf(vm) {
		for _, disk := range disksOf(s.Config.Hardware.Device) {
			if disk.Key == key {
				heads = append(heads, disk)
			}
		}
	}
	var link *backing
	for _, disk := range heads {
		for l := disk.Backing.(*backing); l != nil && link == nil; l = l.Parent {
			if l.FileName == name {
				link = l
			}
		}
	}
	if link == nil {
		return nil // the disk left the VM meanwhile: nothing refers to the delta
	}
	if err := mergeDelta(link); err != nil {
		return &types.FileFault{File: name}
	}
	for _, disk := range heads {
		disk.Backing = withoutLink(disk.Backing.(*backing), name)
	}
	return nil
}
