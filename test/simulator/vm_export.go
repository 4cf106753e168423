// VirtualMachine.ExportVm, missing from govmomi 0.24: refuses a VM that is not powered off with
// InvalidPowerState (requestedState poweredOff, existingState the VM's), else answers a new export lease
// (export_lease.go) that stays `initializing` while each disk, read through its chain as the VM now sees it
// (disk_chain.go), is converted to a streamOptimized VMDK by Debian's `qemu-img convert -O vmdk -o
// subformat=streamOptimized` (what ESXi serves on export), then turns `ready` with one deviceUrl per disk,
// named as a standalone ESXi names them: url `https://*/ha-nfc/<lease>/disk-<n>.vmdk`, key
// `/<vm>/<controller type without "Virtual"><bus>:<unit>` (`/vm-9/LsiLogicController0:0`), targetId the
// URL's file name, disk true, fileSize the converted size (ESXi may leave it unset: the app must not need it). See vSphere API "VirtualMachine.ExportVm".
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// leaseDisk is what the export reads of a disk: its deviceUrl key, chain head (links are never changed in
// place, so holding the head is a stable view) and capacity in bytes.
type leaseDisk struct {
	key      string
	head     *backing
	capacity int64
}

// ExportVm answers an export lease for a powered-off VM (see the file comment).
func (m *vmMethods) ExportVm(ctx *simulator.Context, req *types.ExportVm) soap.HasFault {
	vm := m.machine()
	var disks []leaseDisk
	var state types.VirtualMachinePowerState
	ctx.Map.WithLock(vm, func() {
		state = vm.Runtime.PowerState
		devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
		for _, disk := range disksOf(vm.Config.Hardware.Device) {
			key := fmt.Sprintf("/%s/disk%d", m.vm.Value, disk.Key)
			if ctrl := devices.FindByKey(disk.ControllerKey); ctrl != nil {
				bus := ctrl.(types.BaseVirtualController).GetVirtualController().BusNumber
				kind := strings.TrimPrefix(reflect.TypeOf(ctrl).Elem().Name(), "Virtual")
				key = fmt.Sprintf("/%s/%s%d:%d", m.vm.Value, kind, bus, *disk.UnitNumber)
			}
			disks = append(disks, leaseDisk{key, disk.Backing.(*backing), disk.CapacityInKB * 1024})
		}
	})
	if state != types.VirtualMachinePowerStatePoweredOff {
		fault := &types.InvalidPowerState{RequestedState: types.VirtualMachinePowerStatePoweredOff, ExistingState: state}
		return &methods.ExportVmBody{Fault_: simulator.Fault("The VM must be powered off to be exported", fault)}
	}
	dir, err := os.MkdirTemp("", "nfc-export-")
	if err != nil {
		return &methods.ExportVmBody{Fault_: simulator.Fault(err.Error(), &types.FileFault{File: os.TempDir()})}
	}
	lease := &exportLease{dir: dir, session: ctx.Session.Key, entity: m.vm}
	lease.Self = types.ManagedObjectReference{Type: "HttpNfcLease"}
	lease.State = types.HttpNfcLeaseStateInitializing
	lease.deadline = time.Now().Add(time.Duration(leaseTimeout) * time.Second)
	ctx.Map.Put(lease)
	leasesMu.Lock()
	leases[lease.Self.Value] = lease
	leasesMu.Unlock()
	go prepare(lease, m.vm, disks)
	return &methods.ExportVmBody{Res: &types.ExportVmResponse{Returnval: lease.Self}}
}

// prepare converts the disks, then makes the lease ready (or failed when a conversion fails).
func prepare(lease *exportLease, vm types.ManagedObjectReference, disks []leaseDisk) {
	info := &types.HttpNfcLeaseInfo{Lease: lease.Self, Entity: vm, LeaseTimeout: int32(leaseTimeout)}
	var files []exportDisk
	for i, disk := range disks {
		name := fmt.Sprintf("disk-%d.vmdk", i)
		file := filepath.Join(lease.dir, name)
		size, err := streamOptimized(disk, file)
		if err != nil {
			simulator.Map.WithLock(lease, func() { lease.fail(&types.FileFault{File: disk.head.FileName}, err.Error()) })
			return
		}
		files = append(files, exportDisk{name: name, file: file})
		info.TotalDiskCapacityInKB += disk.capacity / 1024
		info.DeviceUrl = append(info.DeviceUrl, types.HttpNfcLeaseDeviceUrl{
			Key:      disk.key,
			Url:      "https://*/ha-nfc/" + lease.Self.Value + "/" + name,
			TargetId: name,
			Disk:     types.NewBool(true),
			FileSize: size,
		})
		simulator.Map.WithLock(lease, func() { lease.InitializeProgress = int32(100 * (i + 1) / len(disks)) })
	}
	simulator.Map.WithLock(lease, func() {
		if lease.State != types.HttpNfcLeaseStateInitializing {
			return // aborted or timed out meanwhile
		}
		lease.disks, lease.Info, lease.State = files, info, types.HttpNfcLeaseStateReady
		lease.deadline = time.Now().Add(time.Duration(leaseTimeout) * time.Second)
	})
	go lease.watch()
}

// streamOptimized writes the disk's bytes to a raw file, converts it with qemu-img to file and returns its size.
func streamOptimized(disk leaseDisk, file string) (int64, error) {
	raw := file + ".raw"
	defer os.Remove(raw)
	f, err := os.Create(raw)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<20)
	for off := int64(0); off < disk.capacity; off += int64(len(buf)) {
		p := buf[:min64(int64(len(buf)), disk.capacity-off)]
		if err = readDisk(disk.head, off, p); err == nil {
			_, err = f.WriteAt(p, off)
		}
		if err != nil {
			_ = f.Close()
			return 0, err
		}
	}
	if err = f.Close(); err != nil {
		return 0, err
	}
	out, err := exec.Command("qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized", raw, file).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("qemu-img convert: %v: %s", err, out)
	}
	st, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}
