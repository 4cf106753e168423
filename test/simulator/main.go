// Command esxsim runs one govmomi simulator.ESX() host (a standalone ESXi) for integration tests.
//
// It prints one JSON line describing the endpoint on stdout, then serves until killed.
// The simulator registry is global, so one process is one host.
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
)

type info struct {
	URL        string   `json:"url"`
	Hostname   string   `json:"hostname"`
	Port       int      `json:"port"`
	Protocol   string   `json:"protocol"`
	Username   string   `json:"username"`
	Thumbprint string   `json:"thumbprint,omitempty"`
	Datastores []dsInfo `json:"datastores"`
	VMs        []string `json:"vms"`
	Pid        int      `json:"pid"`
}

type dsInfo struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// selfSigned returns a fresh self-signed certificate, so every simulator process has its own thumbprint.
func selfSigned(host string) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"esxsim"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * 365 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sum := sha256.Sum256(der)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02X", b)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, strings.Join(hexes, ":"), nil
}

// restrictedMethods are the writes a free ESXi licence (vSphere Hypervisor) refuses with RestrictedVersion.
var restrictedMethods = []string{
	"CreateSnapshot_Task", "RemoveSnapshot_Task", "RemoveAllSnapshots_Task", "RevertToSnapshot_Task",
	"PowerOnVM_Task", "PowerOffVM_Task", "RegisterVM_Task", "UnregisterVM", "Destroy_Task", "ReconfigVM_Task",
}

const restrictedFault = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Current license or ESXi version prohibits execution of the requested operation.</faultstring><detail><RestrictedVersionFault xmlns="urn:vim25" xsi:type="RestrictedVersion"></RestrictedVersionFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`

// freeLicense wraps the simulator's handler so API writes fail like on a free-licence ESXi host.
func freeLicense(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/sdk") {
			body, _ := io.ReadAll(r.Body)
			_ = r.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(body))
			for _, m := range restrictedMethods {
				if bytes.Contains(body, []byte(":"+m+" ")) || bytes.Contains(body, []byte("<"+m+" ")) ||
					bytes.Contains(body, []byte(":"+m+">")) || bytes.Contains(body, []byte("<"+m+">")) {
					w.Header().Set("Content-Type", "text/xml; charset=utf-8")
					w.WriteHeader(http.StatusInternalServerError)
					_, _ = io.WriteString(w, restrictedFault)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// prepareDisks gives every VM disk a UUID (ESXi's disks have one; the simulator's none) and, when mib > 0,
// that capacity.
func prepareDisks(mib int64) {
	for _, obj := range simulator.Map.All("VirtualMachine") {
		vm := obj.(*simulator.VirtualMachine)
		for _, disk := range disksOf(vm.Config.Hardware.Device) {
			if mib > 0 {
				disk.CapacityInKB, disk.CapacityInBytes = mib*1024, mib<<20
			}
		}
		giveUUIDs(vm.Config.Hardware.Device)
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "host:port to listen on")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a fresh self-signed certificate")
	username := flag.String("username", "root", "accepted login user name")
	password := flag.String("password", "simulator-pass", "accepted login password")
	vms := flag.Int("vms", 2, "number of VMs on the host")
	trace := flag.Bool("trace", false, "log SOAP traffic to stderr")
	free := flag.Bool("free-license", false, "refuse API writes with RestrictedVersion, like a free ESXi licence")
	diskMiB := flag.Int64("disk-mib", 0, "capacity of each VM's disk in MiB (default: the simulator's 1 MiB)")
	createMs := flag.Int("snapshot-create-ms", 0, "CreateSnapshot_Task runs this long, cancelable (task_cancel.go)")
	flag.IntVar(&leaseTimeout, "nfc-lease-timeout", 300, "leaseTimeout (seconds) of ExportVm's leases (export_lease.go)")
	rateMiB := flag.Int64("nfc-rate-mib", 0, "serve export device URLs at this many MiB/s (default: unthrottled)")
	flag.Parse()
	nfcRate = *rateMiB << 20
	createDelay = time.Duration(*createMs) * time.Millisecond

	simulator.Trace = *trace

	model := simulator.ESX()
	model.Machine = *vms
	if err := model.Create(); err != nil {
		log.Fatalf("create model: %s", err)
	}
	installNetworkSystem()
	prepareDisks(*diskMiB)

	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*username, *password)}
	thumbprint := ""
	if *useTLS {
		host, _, _ := net.SplitHostPort(*listen)
		cert, tp, err := selfSigned(host)
		if err != nil {
			log.Fatalf("certificate: %s", err)
		}
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		thumbprint = tp
	}

	server := model.Service.NewServer()
	// http.Server reads Handler per request; no client knows the URL yet, so swapping it here is safe.
	server.Config.Handler = keepUploads(exportNFC(guestIO(diskMethods(vmxAdapters(model.Service, server.Config.Handler)))))
	if *free {
		server.Config.Handler = freeLicense(server.Config.Handler)
	}
	port, _ := strconv.Atoi(server.URL.Port())

	out := info{
		URL:        (&url.URL{Scheme: server.URL.Scheme, Host: server.URL.Host, Path: server.URL.Path}).String(),
		Hostname:   server.URL.Hostname(),
		Port:       port,
		Protocol:   server.URL.Scheme,
		Username:   *username,
		Thumbprint: thumbprint,
		Pid:        os.Getpid(),
	}
	for _, obj := range simulator.Map.All("Datastore") {
		ds := obj.(*simulator.Datastore)
		out.Datastores = append(out.Datastores, dsInfo{Name: ds.Name, Path: ds.Info.GetDatastoreInfo().Url})
	}
	for _, obj := range simulator.Map.All("VirtualMachine") {
		out.VMs = append(out.VMs, obj.(mo.Entity).Entity().Name)
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	// Close waits for in-flight requests: bound it so a stuck client cannot keep the host alive.
	go func() {
		time.Sleep(3 * time.Second)
		model.Remove()
		os.Exit(0)
	}()
	server.Close()
	model.Remove()
}
