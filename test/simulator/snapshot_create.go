// CreateSnapshot_Task as ESXi does it, where govmomi 0.24 only records the snapshot: the snapshot's
// configuration keeps the disks as they were (its own copy: the simulator's shares the VM's devices, so a later
// change of the VM showed in the snapshot too), each disk's current link is frozen and the VM moves onto a new
// delta link whose parent it is. It is a stun/unstun cycle: the asked change tracking state applies, and each
// tracked disk starts a new sequence, the snapshot's disks carrying the change id that names their frozen state.
// A snapshot taken without memory has the power state poweredOff, as the reference says (see snapshot_revert.go).
// See vSphere API "VirtualMachine.CreateSnapshot_Task", "VirtualMachineSnapshot.config".
package main

import (
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// snapshotFiles is what a snapshot made: per disk (device key), the delta link the VM moved onto when it was
// taken, and the local path of its .vmsn file.
type snapshotFiles struct {
	deltas map[int32]string
	vmsn   string
}

var (
	snapshotsMu sync.Mutex
	// made holds the files of every snapshot taken, by snapshot MoRef value.
	made = map[string]*snapshotFiles{}
)

// CreateSnapshotTask runs the simulator's snapshot, then freezes the disks (see the file comment).
func (m *vmMethods) CreateSnapshotTask(ctx *simulator.Context, req *types.CreateSnapshot_Task) soap.HasFault {
	vm := m.machine()
	req.This = m.vm
	run := func() (types.AnyType, types.BaseMethodFault) {
		var result types.AnyType
		var fault types.BaseMethodFault
		ctx.Map.WithLock(vm, func() {
			body := vm.CreateSnapshotTask(req).(*methods.CreateSnapshot_TaskBody)
			inner := ctx.Map.Get(body.Res.Returnval).(*simulator.Task)
			ctx.Map.Remove(inner.Self)
			if inner.Info.Error != nil {
				fault = inner.Info.Error.Fault
				return
			}
			ref := inner.Info.Result.(types.ManagedObjectReference)
			if fault = freezeDisks(vm, ctx.Map.Get(ref).(*simulator.VirtualMachineSnapshot)); fault == nil {
				result = ref
			}
			if node := treeNode(vm, ref); node != nil && !req.Memory {
				node.State = types.VirtualMachinePowerStatePoweredOff // no memory: a powered off snapshot
			}
		})
		return result, fault
	}
	task := simulator.CreateTask(vm, "createSnapshot", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return run()
	})
	if createDelay > 0 {
		return &methods.CreateSnapshot_TaskBody{Res: &types.CreateSnapshot_TaskResponse{Returnval: slowly(task, run)}}
	}
	return &methods.CreateSnapshot_TaskBody{Res: &types.CreateSnapshot_TaskResponse{Returnval: task.Run()}}
}

// freezeDisks gives the snapshot its own devices (disks at their current link and change id) and moves each VM
// disk onto a new delta link. Called with the VM locked, right after the simulator recorded the snapshot.
func freezeDisks(vm *simulator.VirtualMachine, snap *simulator.VirtualMachineSnapshot) types.BaseMethodFault {
	stun(vm)
	nextSequence(vm)
	files := &snapshotFiles{deltas: map[int32]string{}}
	for _, s := range vm.LayoutEx.Snapshot {
		if s.Key == snap.Self {
			for _, f := range vm.LayoutEx.File {
				if f.Key == s.DataKey {
					files.vmsn, _ = localPath(f.Name)
				}
			}
		}
	}
	own := make([]types.BaseVirtualDevice, len(vm.Config.Hardware.Device))
	copy(own, vm.Config.Hardware.Device)
	for i, device := range own {
		disk, ok := device.(*types.VirtualDisk)
		if !ok {
			continue
		}
		head, ok := disk.Backing.(*backing)
		if !ok {
			continue
		}
		frozen := *disk
		own[i] = &frozen
		delta, err := newDelta(head, disk.CapacityInKB*1024)
		if err != nil {
			return &types.FileFault{File: head.FileName}
		}
		disk.Backing = delta
		files.deltas[disk.Key] = delta.FileName
	}
	snap.Config.Hardware.Device = own
	snapshotsMu.Lock()
	made[snap.Self.Value] = files
	snapshotsMu.Unlock()
	refreshLayout(vm)
	return nil
}

// filesOf is what snapshot `ref` made (nil for one this launcher did not take).
func filesOf(ref types.ManagedObjectReference) *snapshotFiles {
	snapshotsMu.Lock()
	defer snapshotsMu.Unlock()
	return made[ref.Value]
}
