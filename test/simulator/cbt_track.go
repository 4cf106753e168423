// Changed block tracking, as the vSphere API reference describes it: `config.changeTrackingEnabled` is what was
// asked (ReconfigVM_Task), and tracking follows it at the VM's next stun/unstun cycle (power on, snapshot create
// or remove). Tracking a disk gives it a tracking id (`52 2d ... 7b`, new each time tracking starts, so older
// change ids become invalid) and a sequence: its backing's changeId is "<id>/<sequence>". Each snapshot
// freezes the disk at the next sequence; every guest write is recorded, per grain, under the sequence in force.
// The changes since change id "<id>/c" up to a snapshot at "<id>/s" are the grains written during sequences
// c..s-1. See "VirtualMachineConfigSpec.changeTrackingEnabled", "VirtualDiskFlatVer2BackingInfo.changeId".
package main

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// diskTrack is one tracked disk.
type diskTrack struct {
	id      string
	seq     int
	changed map[int]map[int64]bool // sequence -> grains written while it was in force
}

func (t *diskTrack) changeID() string { return fmt.Sprintf("%s/%d", t.id, t.seq) }

var (
	trackMu sync.Mutex
	// tracks holds the tracked disks per VM MoRef value and device key; a VM is absent while tracking is off.
	tracks = map[string]map[int32]*diskTrack{}
)

// trackOf is the tracking of a VM's disk, nil when the VM's tracking is off.
func trackOf(vm *simulator.VirtualMachine, key int32) *diskTrack {
	trackMu.Lock()
	defer trackMu.Unlock()
	return tracks[vm.Self.Value][key]
}

// trackingID is a new tracking id in the form ESXi prints it.
func trackingID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[0] = 0x52
	hex := make([]string, 16)
	for i, v := range b {
		hex[i] = fmt.Sprintf("%02x", v)
	}
	return strings.Join(hex[:8], " ") + "-" + strings.Join(hex[8:], " ")
}

// diskUUID is a disk UUID in the form of VirtualDiskFlatVer2BackingInfo.uuid (`6000C29x-...`).
func diskUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("6000C29%x-%x-%x-%x-%x", b[0]&0xf, b[1:3], b[3:5], b[5:7], b[7:13])
}

// giveUUIDs sets a UUID on every disk link of a device list that has none (the simulator creates disks without).
func giveUUIDs(devices []types.BaseVirtualDevice) {
	for _, disk := range disksOf(devices) {
		head := disk.Backing.(*backing)
		if head.Uuid == "" {
			head.Uuid = diskUUID()
		}
		for link := head.Parent; link != nil; link = link.Parent {
			if link.Uuid == "" {
				link.Uuid = head.Uuid
			}
		}
	}
}

// stun applies the asked change tracking state (config.changeTrackingEnabled) to the VM's disks: starting
// tracking gives each disk a new tracking id at sequence 0, stopping it forgets every change and clears the
// change ids of the VM's disks. Called with the VM locked, from power on and snapshot create/remove.
func stun(vm *simulator.VirtualMachine) {
	want := vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled
	trackMu.Lock()
	defer trackMu.Unlock()
	on := tracks[vm.Self.Value]
	switch {
	case want && on == nil:
		on = map[int32]*diskTrack{}
		tracks[vm.Self.Value] = on
	case !want && on != nil:
		delete(tracks, vm.Self.Value)
		on = nil
	}
	giveUUIDs(vm.Config.Hardware.Device)
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		head := disk.Backing.(*backing)
		if on == nil {
			head.ChangeId = ""
			continue
		}
		if on[disk.Key] == nil {
			on[disk.Key] = &diskTrack{id: trackingID(), changed: map[int]map[int64]bool{}}
		}
		head.ChangeId = on[disk.Key].changeID()
	}
}

// nextSequence starts a new sequence on every tracked disk of the VM (a snapshot is being taken) and sets the
// resulting change id on the VM's disks. Called with the VM locked.
func nextSequence(vm *simulator.VirtualMachine) {
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		if t := trackOf(vm, disk.Key); t != nil {
			trackMu.Lock()
			t.seq++
			trackMu.Unlock()
			disk.Backing.(*backing).ChangeId = t.changeID()
		}
	}
}

// recordWrite notes that bytes [off, off+n) of a tracked disk were written.
func recordWrite(vm *simulator.VirtualMachine, key int32, off, n int64) {
	t := trackOf(vm, key)
	if t == nil || n <= 0 {
		return
	}
	trackMu.Lock()
	defer trackMu.Unlock()
	set := t.changed[t.seq]
	if set == nil {
		set = map[int64]bool{}
		t.changed[t.seq] = set
	}
	for g := off / grain; g <= (off+n-1)/grain; g++ {
		set[g] = true
	}
}

// parseChangeID splits "<id>/<sequence>". @returns ok false for anything else.
func parseChangeID(changeID string) (string, int, bool) {
	i := strings.LastIndex(changeID, "/")
	if i <= 0 {
		return "", 0, false
	}
	seq, err := strconv.Atoi(changeID[i+1:])
	if err != nil || seq < 0 {
		return "", 0, false
	}
	return changeID[:i], seq, true
}

// changedSince lists the grains of a tracked disk written during sequences from..to-1 (to = the current
// sequence + 1 includes the writes in progress); nil, false when the disk is not tracked under that id any more.
func changedSince(vm *simulator.VirtualMachine, key int32, id string, from, to int) (map[int64]bool, bool) {
	t := trackOf(vm, key)
	if t == nil || t.id != id || from > to || to > t.seq+1 {
		return nil, false
	}
	trackMu.Lock()
	defer trackMu.Unlock()
	out := map[int64]bool{}
	for s := from; s < to; s++ {
		for g := range t.changed[s] {
			out[g] = true
		}
	}
	return out, true
}
