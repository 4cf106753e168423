// The VM's file layout (layoutEx) kept in step with its disk chains: every link's descriptor and extent is a
// file with a stable key, each disk's chain (base link first) is listed for the VM and for each snapshot as it
// was when the snapshot was taken, and files that are gone leave the list. govmomi 0.24 renumbers every key on
// RefreshStorageInfo, so a snapshot's layout then names other files (how its RemoveSnapshot_Task could delete
// a VM's disk). See vSphere API "VirtualMachineFileLayoutEx" (file, disk, snapshot).
package main

import (
	"os"
	"strings"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// fileKey is the layoutEx key of a datastore file (its size refreshed), the file being added when missing.
func fileKey(vm *simulator.VirtualMachine, name string) int32 {
	var size int64
	if file, ok := localPath(name); ok {
		if st, err := os.Stat(file); err == nil {
			size = st.Size()
		}
	}
	next := int32(0)
	for i := range vm.LayoutEx.File {
		f := &vm.LayoutEx.File[i]
		if f.Name == name {
			f.Size, f.UniqueSize = size, size
			return f.Key
		}
		if f.Key >= next {
			next = f.Key + 1
		}
	}
	kind := types.VirtualMachineFileLayoutExFileTypeDiskDescriptor
	if strings.HasSuffix(name, "-flat.vmdk") || strings.HasSuffix(name, "-delta.vmdk") {
		kind = types.VirtualMachineFileLayoutExFileTypeDiskExtent
	}
	vm.LayoutEx.File = append(vm.LayoutEx.File, types.VirtualMachineFileLayoutExFileInfo{
		Key: next, Name: name, Type: string(kind), Size: size, UniqueSize: size, Accessible: types.NewBool(true),
	})
	return next
}

// chainLayout lists a disk's links, base first, each as [descriptor key, extent key].
func chainLayout(vm *simulator.VirtualMachine, key int32, head *backing) types.VirtualMachineFileLayoutExDiskLayout {
	var links []*backing
	for link := head; link != nil; link = link.Parent {
		links = append([]*backing{link}, links...)
	}
	out := types.VirtualMachineFileLayoutExDiskLayout{Key: key}
	for _, link := range links {
		out.Chain = append(out.Chain, types.VirtualMachineFileLayoutExDiskUnit{
			FileKey: []int32{fileKey(vm, link.FileName), fileKey(vm, extentName(link.FileName))},
		})
	}
	return out
}

// disksOf lists the virtual disks of a device list with their chain head.
func disksOf(devices []types.BaseVirtualDevice) []*types.VirtualDisk {
	var out []*types.VirtualDisk
	for _, d := range object.VirtualDeviceList(devices).SelectByType((*types.VirtualDisk)(nil)) {
		disk := d.(*types.VirtualDisk)
		if _, ok := disk.Backing.(*backing); ok {
			out = append(out, disk)
		}
	}
	return out
}

// diskLayouts is the chain layout of every disk of a device list.
func diskLayouts(vm *simulator.VirtualMachine, devices []types.BaseVirtualDevice) []types.VirtualMachineFileLayoutExDiskLayout {
	var out []types.VirtualMachineFileLayoutExDiskLayout
	for _, disk := range disksOf(devices) {
		out = append(out, chainLayout(vm, disk.Key, disk.Backing.(*backing)))
	}
	return out
}

// refreshLayout drops the disk and snapshot files that no longer exist, then lists the VM's disk chains and
// each remaining snapshot's (from its own configuration). Keys of files that stay never change.
func refreshLayout(vm *simulator.VirtualMachine) {
	kept := vm.LayoutEx.File[:0:0]
	for _, f := range vm.LayoutEx.File {
		if strings.HasSuffix(f.Name, ".vmdk") || strings.HasSuffix(f.Name, ".vmsn") {
			if file, ok := localPath(f.Name); !ok || !exists(file) {
				continue
			}
		}
		kept = append(kept, f)
	}
	vm.LayoutEx.File = kept
	vm.LayoutEx.Disk = diskLayouts(vm, vm.Config.Hardware.Device)
	var shots []types.VirtualMachineFileLayoutExSnapshotLayout
	for _, s := range vm.LayoutEx.Snapshot {
		snap, ok := simulator.Map.Get(s.Key).(*simulator.VirtualMachineSnapshot)
		if !ok {
			continue
		}
		s.Disk = diskLayouts(vm, snap.Config.Hardware.Device)
		shots = append(shots, s)
	}
	vm.LayoutEx.Snapshot = shots
	var old []types.VirtualMachineFileLayoutSnapshotLayout
	for _, s := range vm.Layout.Snapshot {
		if simulator.Map.Get(s.Key) != nil {
			old = append(old, s)
		}
	}
	vm.Layout.Snapshot = old
	vm.Layout.Disk = nil
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		layout := types.VirtualMachineFileLayoutDiskLayout{Key: disk.Key}
		for link := disk.Backing.(*backing); link != nil; link = link.Parent {
			layout.DiskFile = append(layout.DiskFile, link.FileName)
		}
		vm.Layout.Disk = append(vm.Layout.Disk, layout)
	}
	vm.LayoutEx.Timestamp = time.Now()
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}
