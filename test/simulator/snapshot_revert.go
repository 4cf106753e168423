// RevertToSnapshot_Task as ESXi does it, where govmomi 0.24 only moves snapshot.currentSnapshot: each disk goes
// back to the link the snapshot froze, on a new delta link (the VM's current delta, holding the writes made
// since, is discarded: deleted unless a snapshot froze it), and the VM takes the snapshot's power state, without
// suppressPowerOn. A snapshot taken without memory has the power state poweredOff (CreateSnapshot_Task: "When
// set to FALSE, the power state of the snapshot is set to powered off"; the simulator recorded the VM's), so a
// running VM reverted to it is powered off. See vSphere API "VirtualMachineSnapshot.RevertToSnapshot_Task".
package main

import (
	"os"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// RevertToSnapshotTask reverts the VM to the snapshot (see the file comment).
func (m *snapshotMethods) RevertToSnapshotTask(ctx *simulator.Context, req *types.RevertToSnapshot_Task) soap.HasFault {
	snap := ctx.Map.Get(m.snapshot).(*simulator.VirtualMachineSnapshot)
	vm := ctx.Map.Get(snap.Vm).(*simulator.VirtualMachine)
	task := simulator.CreateTask(snap, "revertToSnapshot", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		var fault types.BaseMethodFault
		ctx.Map.WithLock(vm, func() {
			if fault = revertDisks(vm, snap); fault != nil {
				return
			}
			state := types.VirtualMachinePowerStatePoweredOff
			if node := treeNode(vm, snap.Self); node != nil {
				state = node.State
			}
			if req.SuppressPowerOn != nil && *req.SuppressPowerOn && state == types.VirtualMachinePowerStatePoweredOn {
				state = types.VirtualMachinePowerStatePoweredOff
			}
			ctx.Map.Update(vm, []types.PropertyChange{
				{Name: "snapshot.currentSnapshot", Val: snap.Self},
				{Name: "runtime.powerState", Val: state},
				{Name: "summary.runtime.powerState", Val: state},
			})
			stun(vm)
			refreshLayout(vm)
		})
		return nil, fault
	})
	return &methods.RevertToSnapshot_TaskBody{Res: &types.RevertToSnapshot_TaskResponse{Returnval: task.Run()}}
}

// revertDisks puts each VM disk on a new delta over the snapshot's frozen link and discards the old head.
// Called with the VM locked.
func revertDisks(vm *simulator.VirtualMachine, snap *simulator.VirtualMachineSnapshot) types.BaseMethodFault {
	frozen := map[int32]*backing{}
	for _, disk := range disksOf(snap.Config.Hardware.Device) {
		if b, ok := disk.Backing.(*backing); ok {
			frozen[disk.Key] = b
		}
	}
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		head, ok := disk.Backing.(*backing)
		base := frozen[disk.Key]
		if !ok || base == nil {
			continue
		}
		delta, err := newDelta(base, disk.CapacityInKB*1024)
		if err != nil {
			return &types.FileFault{File: base.FileName}
		}
		disk.Backing = delta
		if !frozenByAny(vm, head.FileName) && grainsOf(head.FileName) != nil {
			for _, name := range []string{extentName(head.FileName), head.FileName} {
				if file, ok := localPath(name); ok {
					_ = os.Remove(file)
				}
			}
			deltasMu.Lock()
			delete(deltas, head.FileName)
			deltasMu.Unlock()
			if files := filesOf(snap.Self); files != nil && files.deltas[disk.Key] == head.FileName {
				files.deltas[disk.Key] = delta.FileName
			}
		}
	}
	return nil
}

// frozenByAny tells whether a link is in the chain of a disk of one of the VM's snapshots.
func frozenByAny(vm *simulator.VirtualMachine, name string) bool {
	for _, s := range snapshotsOf(vm) {
		for _, disk := range disksOf(s.Config.Hardware.Device) {
			for l, _ := disk.Backing.(*backing); l != nil; l = l.Parent {
				if l.FileName == name {
					return true
				}
			}
		}
	}
	return false
}

// treeNode is the VM's snapshot tree entry of `ref` (nil when absent), to read or change in place.
func treeNode(vm *simulator.VirtualMachine, ref types.ManagedObjectReference) *types.VirtualMachineSnapshotTree {
	var find func(list []types.VirtualMachineSnapshotTree) *types.VirtualMachineSnapshotTree
	find = func(list []types.VirtualMachineSnapshotTree) *types.VirtualMachineSnapshotTree {
		for i := range list {
			if list[i].Snapshot == ref {
				return &list[i]
			}
			if found := find(list[i].ChildSnapshotList); found != nil {
				return found
			}
		}
		return nil
	}
	if vm.Snapshot == nil {
		return nil
	}
	return find(vm.Snapshot.RootSnapshotList)
}
