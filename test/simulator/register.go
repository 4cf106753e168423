// Network adapters from the .vmx at registration, as ESXi does: govmomi 0.24's RegisterVM_Task ignores the
// file and registers a VM without devices, so a restored copy (a SureBackup test VM, a replica) has no adapter
// and nothing can check which network it is on. See vSphere API "Folder.RegisterVM_Task".
package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	taskRef  = regexp.MustCompile(`<returnval type="Task">([^<]+)</returnval>`)
	vmxEntry = regexp.MustCompile(`^\s*(ethernet\d+)\.(\w+)\s*=\s*"(.*)"\s*$`)
)

// vmxNics reads the ethernetN entries of a .vmx: device type, portgroup, MAC, for the present adapters.
func vmxNics(file string) []map[string]string {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	byNic := map[string]map[string]string{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if m := vmxEntry.FindStringSubmatch(scanner.Text()); m != nil {
			if byNic[m[1]] == nil {
				byNic[m[1]] = map[string]string{}
			}
			byNic[m[1]][strings.ToLower(m[2])] = m[3]
		}
	}
	var names []string
	for name, entries := range byNic {
		if strings.EqualFold(entries["present"], "true") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var nics []map[string]string
	for _, name := range names {
		nics = append(nics, byNic[name])
	}
	return nics
}

// vmxPath is the local file of a VM's .vmx ("[LocalDS_0] dir/name.vmx").
func vmxPath(vm *simulator.VirtualMachine) string {
	var p object.DatastorePath
	if vm.Config == nil || !p.FromString(vm.Config.Files.VmPathName) {
		return ""
	}
	for _, obj := range simulator.Map.All("Datastore") {
		if ds := obj.(*simulator.Datastore); ds.Name == p.Datastore {
			return filepath.Join(ds.Info.GetDatastoreInfo().Url, p.Path)
		}
	}
	return ""
}

// addVmxNics gives a just-registered VM the adapters its .vmx declares (ReconfigVM_Task through the
// simulator's in-process client). An adapter on a network the host does not have is left out.
func addVmxNics(c *vim25.Client, ref types.ManagedObjectReference) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	dc := simulator.Map.Any("Datacenter").(*simulator.Datacenter)
	var devices []types.BaseVirtualDevice
	for _, nic := range vmxNics(vmxPath(vm)) {
		network := simulator.Map.FindByName(nic["networkname"], dc.Network)
		if network == nil {
			continue
		}
		netRef := network.Reference()
		backing := &types.VirtualEthernetCardNetworkBackingInfo{
			VirtualDeviceDeviceBackingInfo: types.VirtualDeviceDeviceBackingInfo{DeviceName: nic["networkname"]},
			Network:                        &netRef,
		}
		kind := map[string]string{"": "e1000", "vlance": "pcnet32", "vmxnet": "vmxnet2"}[nic["virtualdev"]]
		if kind == "" {
			kind = nic["virtualdev"]
		}
		device, err := object.VirtualDeviceList{}.CreateEthernetCard(kind, backing)
		if err != nil {
			continue
		}
		card := device.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
		if mac := nic["address"]; mac != "" {
			card.AddressType, card.MacAddress = string(types.VirtualEthernetCardMacTypeManual), mac
		} else if mac := nic["generatedaddress"]; mac != "" {
			card.AddressType, card.MacAddress = string(types.VirtualEthernetCardMacTypeGenerated), mac
		}
		card.Connectable = &types.VirtualDeviceConnectInfo{StartConnected: true, AllowGuestControl: true}
		devices = append(devices, device)
	}
	if len(devices) == 0 {
		return
	}
	if err := object.NewVirtualMachine(c, ref).AddDevice(context.Background(), devices...); err != nil {
		log.Printf("adapters of %s not added: %s", vm.Name, err)
	}
}

// vmxAdapters wraps the SOAP handler: once a RegisterVM_Task has run (the simulator runs tasks before
// answering), the new VM gets the adapters of its .vmx before the client sees the answer.
func vmxAdapters(service *simulator.Service, next http.Handler) http.Handler {
	client, err := vim25.NewClient(context.Background(), service)
	if err != nil {
		log.Fatalf("in-process client: %s", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/sdk") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !bytes.Contains(body, []byte("RegisterVM_Task")) {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if m := taskRef.FindSubmatch(rec.Body.Bytes()); m != nil {
			task, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: string(m[1])}).(*simulator.Task)
			if ok && task.Info.State == types.TaskInfoStateSuccess {
				if vm, ok := task.Info.Result.(types.ManagedObjectReference); ok {
					addVmxNics(client, vm)
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
