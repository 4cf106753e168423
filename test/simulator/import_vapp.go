// ResourcePool.ImportVApp with uploads kept, as ESXi does. govmomi 0.24's ImportVApp creates the VM and an
// HttpNfcLease whose NFC handler discards every upload. The pool's companion (disk_dispatch.go) calls the
// simulator's ImportVApp, then records where each device URL of the lease lands on the datastore: a disk's
// URL its `-flat.vmdk` (the disk's bytes), any other file (nvram, ISO) the file itself. The handler below
// lets the simulator serve the request (it answers 404 for a lease completed, aborted or unknown) while
// keeping the body aside; on success a disk's streamOptimized VMDK (POST, what the reference says an import
// sends to a disk URL) is converted to the flat extent with `qemu-img convert`, and a file (PUT) is stored as is.
// See vSphere API "ResourcePool.ImportVApp", "HttpNfcLeaseDeviceUrl".
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// poolMethods is a resource pool's companion (ImportVApp).
type poolMethods struct {
	mo.ExtensibleManagedObject
	pool types.ManagedObjectReference
}

// uploadTarget is where one device URL's upload is written on this machine.
type uploadTarget struct {
	file string // the disk's flat extent, or the file itself
	disk bool
}

var (
	uploadsMu sync.Mutex
	// uploads maps a device URL's path (`/nfc/<lease>/<name>`, unescaped) to its target.
	uploads = map[string]uploadTarget{}
)

// ImportVApp runs the simulator's ImportVApp and records the target of each of the lease's device URLs.
func (m *poolMethods) ImportVApp(ctx *simulator.Context, req *types.ImportVApp) soap.HasFault {
	pool, ok := simulator.Map.Get(m.pool).(*simulator.ResourcePool)
	if !ok {
		return &methods.ImportVAppBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: m.pool})}
	}
	req.This = m.pool
	res := pool.ImportVApp(ctx, req)
	body, ok := res.(*methods.ImportVAppBody)
	if !ok || body.Res == nil {
		return res
	}
	lease, ok := ctx.Session.Get(body.Res.Returnval).(*simulator.HttpNfcLease)
	if !ok {
		return res
	}
	vm, ok := simulator.Map.Get(lease.Info.Entity).(*simulator.VirtualMachine)
	if !ok {
		return res
	}
	files := map[string]uploadTarget{}
	for _, d := range vm.Config.Hardware.Device {
		info, ok := d.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo)
		if !ok {
			continue
		}
		name := info.GetVirtualDeviceFileBackingInfo().FileName
		_, disk := d.(*types.VirtualDisk)
		target := name
		if disk {
			target = strings.TrimSuffix(name, ".vmdk") + "-flat.vmdk"
		}
		if file, ok := localPath(target); ok {
			var p object.DatastorePath
			p.FromString(name)
			files[path.Base(p.Path)] = uploadTarget{file: file, disk: disk}
		}
	}
	giveUUIDs(vm.Config.Hardware.Device)
	uploadsMu.Lock()
	defer uploadsMu.Unlock()
	for _, u := range lease.Info.DeviceUrl {
		if parsed, err := url.Parse(u.Url); err == nil {
			if t, ok := files[path.Base(parsed.Path)]; ok {
				uploads[parsed.Path] = t
			}
		}
	}
	return res
}

// statusWriter records the status the simulator answers without sending it yet.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) { w.status = status }
func (w *statusWriter) Write(p []byte) (int, error) {
	return len(p), nil
}

// keepUploads writes what is uploaded to an import lease's device URL (PUT or POST) to its target.
func keepUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uploadsMu.Lock()
		target, ok := uploads[r.URL.Path]
		uploadsMu.Unlock()
		if !ok || (r.Method != http.MethodPut && r.Method != http.MethodPost) {
			next.ServeHTTP(w, r)
			return
		}
		tmp, err := os.CreateTemp(filepath.Dir(target.file), ".upload-*")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer func() { _ = os.Remove(tmp.Name()) }()
		r.Body = io.NopCloser(io.TeeReader(r.Body, tmp))
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		_ = tmp.Close()
		if rec.status != http.StatusOK {
			w.WriteHeader(rec.status)
			return
		}
		if err := store(tmp.Name(), target, r.Method); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// store moves an upload to its target: a disk's VMDK converted to the raw flat extent, a file as is.
func store(upload string, target uploadTarget, method string) error {
	if !target.disk {
		return os.Rename(upload, target.file)
	}
	if method != http.MethodPost {
		return fmt.Errorf("a disk device URL takes a streamOptimized VMDK by POST, not %s", method)
	}
	out, err := exec.Command("qemu-img", "convert", "-f", "vmdk", "-O", "raw", upload, target.file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("qemu-img convert: %v: %s", err, out)
	}
	return nil
}
