// VirtualMachine.QueryChangedDiskAreas, missing from govmomi 0.24: the areas of a disk changed between a change
// id and a snapshot (or, for a powered-off VM, its current state), or with change id "*" the areas in use at that
// snapshot (a thin disk: grains ever written with data). Areas are grain-aligned and merged; one answer covers
// at most queryPart bytes from startOffset, so callers loop until the disk's length is covered, as the
// reference says they must. Faults: NotFound (snapshot), InvalidArgument (deviceKey, startOffset, changeId, or
// tracking not in force), FileFault (disk files). See vSphere API "VirtualMachine.QueryChangedDiskAreas",
// "DiskChangeInfo", "DiskChangeExtent".
package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// queryPart is the most disk bytes one answer describes.
const queryPart = 16 << 20

// QueryChangedDiskAreas answers one part of the disk's change map (see the file comment).
func (m *vmMethods) QueryChangedDiskAreas(ctx *simulator.Context, req *types.QueryChangedDiskAreas) soap.HasFault {
	body := &methods.QueryChangedDiskAreasBody{}
	vm := m.machine()
	var info *types.DiskChangeInfo
	var fault types.BaseMethodFault
	ctx.Map.WithLock(vm, func() { info, fault = changedAreas(vm, req) })
	if fault != nil {
		body.Fault_ = simulator.Fault("", fault)
		return body
	}
	body.Res = &types.QueryChangedDiskAreasResponse{Returnval: *info}
	return body
}

// capacityOf is a disk's capacity in bytes.
func capacityOf(disk *types.VirtualDisk) int64 {
	if disk.CapacityInBytes > 0 {
		return disk.CapacityInBytes
	}
	return disk.CapacityInKB * 1024
}

func invalid(property string) types.BaseMethodFault {
	return &types.InvalidArgument{InvalidProperty: property}
}

// changedAreas computes one answer. Called with the VM locked.
func changedAreas(vm *simulator.VirtualMachine, req *types.QueryChangedDiskAreas) (*types.DiskChangeInfo, types.BaseMethodFault) {
	devices := vm.Config.Hardware.Device
	current := req.Snapshot == nil
	if current {
		if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOff {
			return nil, &types.FileFault{File: vm.Config.Files.VmPathName} // the running VM holds its disks
		}
	} else {
		snap, ok := simulator.Map.Get(*req.Snapshot).(*simulator.VirtualMachineSnapshot)
		if !ok || snap.Vm != vm.Self {
			return nil, &types.NotFound{}
		}
		devices = snap.Config.Hardware.Device
	}
	var disk *types.VirtualDisk
	for _, d := range disksOf(devices) {
		if d.Key == req.DeviceKey {
			disk = d
		}
	}
	if disk == nil {
		return nil, invalid("deviceKey")
	}
	start, capacity := req.StartOffset, capacityOf(disk)
	if start < 0 || start >= capacity {
		return nil, invalid("startOffset")
	}
	end := start + queryPart
	if end > capacity {
		end = capacity
	}
	head := disk.Backing.(*backing)
	id, to, tracked := parseChangeID(head.ChangeId)
	if !tracked || trackOf(vm, disk.Key) == nil {
		return nil, invalid("changeId")
	}
	var grains map[int64]bool
	if req.ChangeId == "*" {
		var err error
		if grains, err = allocated(head, start, end); err != nil {
			return nil, &types.FileFault{File: head.FileName}
		}
	} else {
		since, seq, ok := parseChangeID(req.ChangeId)
		if current {
			to = trackOf(vm, disk.Key).seq + 1
		}
		if ok = ok && since == id; ok {
			grains, ok = changedSince(vm, disk.Key, id, seq, to)
		}
		if !ok {
			return nil, invalid("changeId")
		}
	}
	return &types.DiskChangeInfo{StartOffset: start, Length: end - start, ChangedArea: areas(grains, start, end)}, nil
}

// areas turns a grain set into merged extents clipped to [start, end).
func areas(grains map[int64]bool, start, end int64) []types.DiskChangeExtent {
	var out []types.DiskChangeExtent
	for g := start / grain; g*grain < end; g++ {
		if !grains[g] {
			continue
		}
		from, to := g*grain, (g+1)*grain
		if from < start {
			from = start
		}
		if to > end {
			to = end
		}
		if n := len(out); n > 0 && out[n-1].Start+out[n-1].Length == from {
			out[n-1].Length += to - from
		} else {
			out = append(out, types.DiskChangeExtent{Start: from, Length: to - from})
		}
	}
	return out
}

// allocated lists the grains of [start, end) in use as seen from link head: held by a delta link, or holding
// data (not all zeros) in the base extent.
func allocated(head *backing, start, end int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	first := start / grain
	for link := head; link != nil; link = link.Parent {
		if held := grainsOf(link.FileName); held != nil {
			for g := range held {
				if g >= first && g*grain < end {
					out[g] = true
				}
			}
			continue
		}
		buf := make([]byte, end-first*grain)
		if err := readExtent(link.FileName, first*grain, buf); err != nil {
			return nil, err
		}
		for at := 0; at < len(buf); at += grain {
			piece := buf[at:min(at+grain, len(buf))]
			for _, b := range piece {
				if b != 0 {
					out[first+int64(at/grain)] = true
					break
				}
			}
		}
	}
	return out, nil
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
