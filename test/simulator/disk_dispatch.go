// Routing of the VM and snapshot methods this launcher implements itself (snapshots with delta disks, changed
// block tracking): govmomi 0.24 dispatches a SOAP call to the Go method of the object its `_this` names, and
// *simulator.VirtualMachine cannot be given new methods from outside its package. So the handler below renames
// `_this` of those calls to a companion object ("EbmVirtualMachine" / "EbmVirtualMachineSnapshot", same value)
// registered beside the real one: the simulator then checks the session, locks, runs the companion's method and
// encodes its answer or fault as for any of its own methods. Nothing else is changed; clients see the real MoRefs.
package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// routed names, per method, the MoRef type it is called on.
var routed = map[string]string{
	"CreateSnapshot_Task":     "VirtualMachine",
	"RemoveAllSnapshots_Task": "VirtualMachine",
	"QueryChangedDiskAreas":   "VirtualMachine",
	"ReconfigVM_Task":         "VirtualMachine",
	"PowerOnVM_Task":          "VirtualMachine",
	"ExportVm":                "VirtualMachine",
	"RemoveSnapshot_Task":     "VirtualMachineSnapshot",
	"RevertToSnapshot_Task":   "VirtualMachineSnapshot",
	"CancelTask":              "Task",
	"ImportVApp":              "ResourcePool",
	"CreateImportSpec":        "OvfManager",
}

const companionPrefix = "Ebm"

var thisType = regexp.MustCompile(`(<(?:[\w.-]+:)?_this\b[^>]*\btype=")(VirtualMachine|VirtualMachineSnapshot|Task|ResourcePool|OvfManager)(")`)

// vmMethods is a VM's companion: the methods of snapshot_create.go, snapshot_remove.go, cbt_query.go, vm_export.go and
// power_reconfig.go run with the VM's own lock held (they take it), the companion's being the simulator's.
// The simulator walks every registered object as an mo type (its first field), hence the embedded one, which
// is no VM, so searches for VMs skip companions.
type vmMethods struct {
	mo.ExtensibleManagedObject
	vm types.ManagedObjectReference
}

// machine is the VM behind the companion (nil once the VM is gone).
func (m *vmMethods) machine() *simulator.VirtualMachine {
	vm, _ := simulator.Map.Get(m.vm).(*simulator.VirtualMachine)
	return vm
}

// snapshotMethods is a snapshot's companion (RemoveSnapshot_Task).
type snapshotMethods struct {
	mo.ExtensibleManagedObject
	snapshot types.ManagedObjectReference
}

// companionOf is the MoRef of the companion of a VM or snapshot.
func companionOf(ref types.ManagedObjectReference) types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: companionPrefix + ref.Type, Value: ref.Value}
}

// callTarget reads the method name and the `_this` MoRef of a SOAP request without decoding its arguments.
func callTarget(body []byte) (string, types.ManagedObjectReference, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var method string
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return "", types.ManagedObjectReference{}, false
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "Body":
			inBody = true
		case !inBody:
			continue
		case method == "":
			method = start.Name.Local
		case method != "" && start.Name.Local == "_this":
			ref := types.ManagedObjectReference{}
			for _, a := range start.Attr {
				if a.Name.Local == "type" {
					ref.Type = a.Value
				}
			}
			var value string
			if err := d.DecodeElement(&value, &start); err != nil {
				return "", ref, false
			}
			ref.Value = strings.TrimSpace(value)
			return method, ref, true
		default:
			return "", types.ManagedObjectReference{}, false
		}
	}
}

// companion registers (once) and returns the companion MoRef of a VM or snapshot that exists.
func companion(ref types.ManagedObjectReference) (types.ManagedObjectReference, bool) {
	if simulator.Map.Get(ref) == nil {
		return ref, false
	}
	self := companionOf(ref)
	if simulator.Map.Get(self) == nil {
		base := mo.ExtensibleManagedObject{Self: self}
		if ref.Type == "VirtualMachine" {
			simulator.Map.Put(&vmMethods{ExtensibleManagedObject: base, vm: ref})
		} else if ref.Type == "OvfManager" {
			simulator.Map.Put(&ovfManagerMethods{ExtensibleManagedObject: base, manager: ref})
		} else if ref.Type == "ResourcePool" {
			simulator.Map.Put(&poolMethods{ExtensibleManagedObject: base, pool: ref})
		} else if ref.Type == "Task" {
			simulator.Map.Put(&taskMethods{ExtensibleManagedObject: base, task: ref})
		} else {
			simulator.Map.Put(&snapshotMethods{ExtensibleManagedObject: base, snapshot: ref})
		}
	}
	return self, true
}

// diskMethods routes the calls of `routed` to the companions; every other request passes unchanged.
func diskMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/sdk") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if method, this, ok := callTarget(body); ok && routed[method] == this.Type {
			if _, found := companion(this); found {
				body = thisType.ReplaceAll(body, []byte("${1}"+companionPrefix+"${2}${3}"))
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
