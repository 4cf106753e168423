// The device URLs of the export leases (vm_export.go): `GET /ha-nfc/<lease>/disk-<n>.vmdk` serves the disk's
// streamOptimized VMDK while the lease is `ready`, to a client sending the session cookie of the session that
// made the lease (`vmware_soap_session`, as ESXi asks); 401 without it, 404 once the lease is not ready. A
// transfer stops when the lease ends meanwhile (aborted, timed out). With -nfc-rate-mib N the body is sent at
// N MiB/s, so a test can act mid-transfer.
//
// Test-only listing (no vSphere API): `GET /ebm-nfc/leases` answers
// `[{"lease","entity","state","transferProgress","error"}]` for every export lease, ended ones included.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// haNfcPrefix is where a standalone ESXi serves its lease files (vCenter's is /nfc/).
const haNfcPrefix = "/ha-nfc/"

// nfcRate is the device URL read rate in bytes per second (-nfc-rate-mib), 0: unthrottled.
var nfcRate int64

type leaseListing struct {
	Lease            string `json:"lease"`
	Entity           string `json:"entity"`
	State            string `json:"state"`
	TransferProgress int32  `json:"transferProgress"`
	Error            string `json:"error,omitempty"`
}

// exportNFC serves the export leases' device URLs and the listing; every other request goes to next.
func exportNFC(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ebm-nfc/leases" {
			listLeases(w)
			return
		}
		p := strings.Split(strings.TrimPrefix(r.URL.Path, haNfcPrefix), "/")
		leasesMu.Lock()
		lease, ok := leases[p[0]]
		leasesMu.Unlock()
		if !strings.HasPrefix(r.URL.Path, haNfcPrefix) || len(p) != 2 || !ok {
			next.ServeHTTP(w, r)
			return
		}
		serveDisk(w, r, lease, p[1])
	})
}

// open tells whether the lease is ready (not timed out), locking it.
func (l *exportLease) open() bool {
	ready := false
	simulator.Map.WithLock(l, func() { ready = !l.expired() && l.State == types.HttpNfcLeaseStateReady })
	return ready
}

func serveDisk(w http.ResponseWriter, r *http.Request, lease *exportLease, name string) {
	cookie, err := r.Cookie(soap.SessionCookieName)
	if err != nil || cookie.Value != lease.session {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "export device URLs are read only", http.StatusMethodNotAllowed)
		return
	}
	file := ""
	for _, d := range lease.disks {
		if d.name == name {
			file = d.file
		}
	}
	if !lease.open() || file == "" {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, _ := f.Stat()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	buf := make([]byte, 256<<10)
	start, sent := time.Now(), int64(0)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if !lease.open() {
				return // the lease ended mid-transfer: the connection drops
			}
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			sent += int64(n)
			if nfcRate > 0 {
				time.Sleep(time.Until(start.Add(time.Duration(sent * int64(time.Second) / nfcRate))))
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			return
		}
	}
}

func listLeases(w http.ResponseWriter) {
	leasesMu.Lock()
	all := make([]*exportLease, 0, len(leases))
	for _, l := range leases {
		all = append(all, l)
	}
	leasesMu.Unlock()
	out := []leaseListing{}
	for _, l := range all {
		simulator.Map.WithLock(l, func() {
			l.expired()
			item := leaseListing{Lease: l.Self.Value, State: string(l.State), TransferProgress: l.TransferProgress}
			item.Entity = l.entity.Value
			if l.Error != nil {
				item.Error = l.Error.LocalizedMessage
			}
			out = append(out, item)
		})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
