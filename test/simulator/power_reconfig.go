// ReconfigVM_Task and PowerOnVM_Task around the simulator's own: power on is a stun/unstun cycle (the asked
// change tracking state applies); a reconfiguration that edits a disk keeps what the host owns (its UUID, change
// id and snapshot chain, which a client's device spec need not carry), and extending a disk grows its extent.
// config.changeTrackingEnabled itself is set by the simulator, at once, as on ESXi; tracking follows at the next
// stun. See vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualMachineConfigSpec.changeTrackingEnabled".
package main

import (
	"os"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// succeeded tells whether the task a simulator method answered with ended well.
func succeeded(ctx *simulator.Context, ref types.ManagedObjectReference) bool {
	task, ok := ctx.Map.Get(ref).(*simulator.Task)
	return ok && task.Info.State == types.TaskInfoStateSuccess
}

// PowerOnVMTask powers the VM on, then applies the asked change tracking state.
func (m *vmMethods) PowerOnVMTask(ctx *simulator.Context, req *types.PowerOnVM_Task) soap.HasFault {
	vm := m.machine()
	req.This = m.vm
	var body soap.HasFault
	ctx.Map.WithLock(vm, func() {
		body = vm.PowerOnVMTask(ctx, req)
		if res, ok := body.(*methods.PowerOnVM_TaskBody); ok && res.Res != nil && succeeded(ctx, res.Res.Returnval) {
			stun(vm)
		}
	})
	return body
}

// ReconfigVMTask reconfigures the VM, then restores the disks' host-owned fields and grows extended extents.
func (m *vmMethods) ReconfigVMTask(ctx *simulator.Context, req *types.ReconfigVM_Task) soap.HasFault {
	vm := m.machine()
	req.This = m.vm
	for _, change := range req.Spec.DeviceChange {
		// ESXi takes an edit without deviceInfo; the simulator dereferences it.
		if d := change.GetVirtualDeviceConfigSpec().Device.GetVirtualDevice(); d.DeviceInfo == nil {
			d.DeviceInfo = &types.Description{}
		}
	}
	var body soap.HasFault
	ctx.Map.WithLock(vm, func() {
		before := map[int32]types.VirtualDisk{}
		for _, disk := range disksOf(vm.Config.Hardware.Device) {
			before[disk.Key] = *disk
		}
		body = vm.ReconfigVMTask(ctx, req)
		if res, ok := body.(*methods.ReconfigVM_TaskBody); ok && res.Res != nil && succeeded(ctx, res.Res.Returnval) {
			keepDiskIdentity(vm, before)
		}
	})
	return body
}

// keepDiskIdentity gives each edited disk back its UUID, change id and parent link, and grows the base extent of
// a disk whose capacity grew. Called with the VM locked.
func keepDiskIdentity(vm *simulator.VirtualMachine, before map[int32]types.VirtualDisk) {
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		old, ok := before[disk.Key]
		if !ok {
			continue
		}
		was := old.Backing.(*backing)
		now := disk.Backing.(*backing)
		if now != was && now.FileName == was.FileName {
			if now.Uuid == "" {
				now.Uuid = was.Uuid
			}
			if now.ChangeId == "" {
				now.ChangeId = was.ChangeId
			}
			if now.Parent == nil {
				now.Parent = was.Parent
			}
		}
		if grown := capacityOf(disk); grown > capacityOf(&old) {
			disk.CapacityInBytes = grown
			base := now
			for base.Parent != nil {
				base = base.Parent
			}
			if file, ok := localPath(extentName(base.FileName)); ok {
				if st, err := os.Stat(file); err == nil && st.Size() < grown {
					_ = os.Truncate(file, grown)
				}
			}
		}
	}
	giveUUIDs(vm.Config.Hardware.Device)
	refreshLayout(vm)
}
