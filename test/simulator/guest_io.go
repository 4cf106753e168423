// A test-only stand-in for a running guest's disk I/O (no vSphere API): writes go into the disk's current link
// (the newest delta while the VM has snapshots, else the base extent) and are recorded by change tracking, as a
// guest's writes are; reads see the disk as the guest does.
//
//	POST /ebm-guest/write?vm=<VM MoRef value>&disk=<device key>&offset=<bytes>   body: the bytes (VM powered on)
//	GET  /ebm-guest/read?vm=...&disk=...&offset=<bytes>&length=<bytes>
//
// Answers 204 / 200, 404 (no such VM or disk), 409 (VM not powered on), 416 (range past the disk's end).
package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const guestPrefix = "/ebm-guest/"

// guestIO serves guestPrefix; every other request goes to next.
func guestIO(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, guestPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		vm, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: q.Get("vm")}).(*simulator.VirtualMachine)
		key, errKey := strconv.ParseInt(q.Get("disk"), 10, 32)
		off, errOff := strconv.ParseInt(q.Get("offset"), 10, 64)
		if !ok || errKey != nil || errOff != nil || off < 0 {
			http.Error(w, "unknown VM or bad disk/offset", http.StatusNotFound)
			return
		}
		var data []byte
		switch strings.TrimPrefix(r.URL.Path, guestPrefix) {
		case "write":
			data, _ = io.ReadAll(r.Body)
		case "read":
			n, err := strconv.ParseInt(q.Get("length"), 10, 32)
			if err != nil || n < 0 {
				http.Error(w, "bad length", http.StatusBadRequest)
				return
			}
			data = make([]byte, n)
		default:
			http.NotFound(w, r)
			return
		}
		status := http.StatusNoContent
		simulator.Map.WithLock(vm, func() { status = guestAccess(vm, int32(key), off, data, r.Method == http.MethodPost) })
		if status != http.StatusOK && status != http.StatusNoContent {
			http.Error(w, http.StatusText(status), status)
			return
		}
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(data)
	})
}

// guestAccess writes data at off (write) or fills it from off (read). Called with the VM locked.
// @returns the HTTP status.
func guestAccess(vm *simulator.VirtualMachine, key int32, off int64, data []byte, write bool) int {
	for _, disk := range disksOf(vm.Config.Hardware.Device) {
		if disk.Key != key {
			continue
		}
		if off+int64(len(data)) > capacityOf(disk) {
			return http.StatusRequestedRangeNotSatisfiable
		}
		head := disk.Backing.(*backing)
		if !write {
			if readDisk(head, off, data) != nil {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		}
		if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
			return http.StatusConflict
		}
		if writeDisk(head, off, data) != nil {
			return http.StatusInternalServerError
		}
		recordWrite(vm, key, off, int64(len(data)))
		return http.StatusNoContent
	}
	return http.StatusNotFound
}
