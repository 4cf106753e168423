// Command esxsim runs one govmomi simulator.ESX() host (a standalone ESXi) for integration tests.
//
// It prints one JSON line describing the endpoint on stdout, then serves until killed.
// The simulator registry is global, so one process is one host.
package main

import (
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
	"log"
	"math/big"
	"net"
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

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "host:port to listen on")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a fresh self-signed certificate")
	username := flag.String("username", "root", "accepted login user name")
	password := flag.String("password", "simulator-pass", "accepted login password")
	vms := flag.Int("vms", 2, "number of VMs on the host")
	trace := flag.Bool("trace", false, "log SOAP traffic to stderr")
	flag.Parse()

	simulator.Trace = *trace

	model := simulator.ESX()
	model.Machine = *vms
	if err := model.Create(); err != nil {
		log.Fatalf("create model: %s", err)
	}

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
	server.Close()
	model.Remove()
}
