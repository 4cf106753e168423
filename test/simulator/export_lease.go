// The HttpNfcLease that ExportVm answers (vm_export.go), as the vSphere API reference describes it: `initializing`
// while the host prepares the disks (initializeProgress), then `ready` with `info` (entity, leaseTimeout,
// totalDiskCapacityInKB, one deviceUrl per disk); the client must call HttpNfcLeaseProgress within leaseTimeout
// seconds or the lease times out into `error` (Timedout); HttpNfcLeaseComplete ends it `done`, HttpNfcLeaseAbort
// `error` (with the client's fault). govmomi 0.24's own lease keeps its file map unexported and is always ready,
// hence this type. Ended leases stay registered (readable through the property collector) for keepEnded.
// See vSphere API "HttpNfcLease", "HttpNfcLeaseInfo", "HttpNfcLeaseDeviceUrl".
package main

import (
	"os"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	// leaseTimeout is info.leaseTimeout of a new export lease (-nfc-lease-timeout, seconds).
	leaseTimeout = 300
	// keepEnded is how long a done or failed lease stays readable.
	keepEnded = 10 * time.Minute
	leasesMu  sync.Mutex
	// leases holds every export lease by MoRef value (the device URL handler and the debug listing read it).
	leases = map[string]*exportLease{}
)

// exportDisk is one disk of a lease: its device URL's last path segment and the streamOptimized file served.
type exportDisk struct {
	name string
	file string
}

// exportLease is an export HttpNfcLease; its fields are guarded by the registry lock of the lease (WithLock).
type exportLease struct {
	mo.HttpNfcLease
	entity   types.ManagedObjectReference
	disks    []exportDisk
	dir      string
	session  string
	deadline time.Time
}

// fail puts the lease in `error` with fault and removes its files. Called with the lease locked.
func (l *exportLease) fail(fault types.BaseMethodFault, message string) {
	l.State = types.HttpNfcLeaseStateError
	l.Error = &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: message}
	l.end()
}

// end releases the lease's files and schedules its removal from the registry. Called with the lease locked.
func (l *exportLease) end() {
	_ = os.RemoveAll(l.dir)
	ref := l.Self
	time.AfterFunc(keepEnded, func() {
		simulator.Map.Remove(ref)
		leasesMu.Lock()
		delete(leases, ref.Value)
		leasesMu.Unlock()
	})
}

// expired tells whether the lease timed out (it then moves to `error`). Called with the lease locked.
func (l *exportLease) expired() bool {
	open := l.State == types.HttpNfcLeaseStateReady || l.State == types.HttpNfcLeaseStateInitializing
	if open && time.Now().After(l.deadline) {
		l.fail(&types.Timedout{}, "The lease timed out: no HttpNfcLeaseProgress within leaseTimeout")
	}
	_, timedOut := l.faultOf().(*types.Timedout)
	return timedOut
}

func (l *exportLease) faultOf() types.BaseMethodFault {
	if l.Error == nil {
		return nil
	}
	return l.Error.Fault
}

// watch times the lease out when no progress comes in time; it stops once the lease has ended.
func (l *exportLease) watch() {
	for {
		time.Sleep(200 * time.Millisecond)
		ended := false
		simulator.Map.WithLock(l, func() {
			l.expired()
			ended = l.State == types.HttpNfcLeaseStateDone || l.State == types.HttpNfcLeaseStateError
		})
		if ended {
			return
		}
	}
}

// HttpNfcLeaseProgress records the percent and renews the lease (Timedout once it has timed out).
func (l *exportLease) HttpNfcLeaseProgress(ctx *simulator.Context, req *types.HttpNfcLeaseProgress) soap.HasFault {
	if l.expired() {
		return &methods.HttpNfcLeaseProgressBody{Fault_: simulator.Fault("", &types.Timedout{})}
	}
	if l.State != types.HttpNfcLeaseStateReady {
		return &methods.HttpNfcLeaseProgressBody{Fault_: simulator.Fault("", &types.InvalidState{})}
	}
	l.TransferProgress = req.Percent
	l.deadline = time.Now().Add(time.Duration(leaseTimeout) * time.Second)
	return &methods.HttpNfcLeaseProgressBody{Res: &types.HttpNfcLeaseProgressResponse{}}
}

// HttpNfcLeaseComplete ends a ready lease `done` (Timedout, InvalidState otherwise).
func (l *exportLease) HttpNfcLeaseComplete(ctx *simulator.Context, req *types.HttpNfcLeaseComplete) soap.HasFault {
	if l.expired() {
		return &methods.HttpNfcLeaseCompleteBody{Fault_: simulator.Fault("", &types.Timedout{})}
	}
	if l.State != types.HttpNfcLeaseStateReady {
		return &methods.HttpNfcLeaseCompleteBody{Fault_: simulator.Fault("", &types.InvalidState{})}
	}
	l.State, l.TransferProgress = types.HttpNfcLeaseStateDone, 100
	l.end()
	return &methods.HttpNfcLeaseCompleteBody{Res: &types.HttpNfcLeaseCompleteResponse{}}
}

// HttpNfcLeaseAbort ends an open lease `error` with the client's fault (InvalidState once it has ended).
func (l *exportLease) HttpNfcLeaseAbort(ctx *simulator.Context, req *types.HttpNfcLeaseAbort) soap.HasFault {
	l.expired()
	if l.State == types.HttpNfcLeaseStateDone || l.State == types.HttpNfcLeaseStateError {
		return &methods.HttpNfcLeaseAbortBody{Fault_: simulator.Fault("", &types.InvalidState{})}
	}
	fault := types.BaseMethodFault(&types.RequestCanceled{})
	message := "The lease was aborted by the client"
	if req.Fault != nil && req.Fault.Fault != nil {
		fault = req.Fault.Fault
		if req.Fault.LocalizedMessage != "" {
			message = req.Fault.LocalizedMessage
		}
	}
	l.fail(fault, message)
	return &methods.HttpNfcLeaseAbortBody{Res: &types.HttpNfcLeaseAbortResponse{}}
}
