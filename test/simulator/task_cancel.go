// Task.CancelTask, missing from govmomi 0.24 (its tasks all end within the call that starts them): with
// -snapshot-create-ms N, CreateSnapshot_Task answers its Task at once, queued then running for N ms with
// info.cancelable true, as a snapshot that takes a while on ESXi; CancelTask on it before it ends makes it end in
// error with RequestCanceled and no snapshot; on a task that is not cancelable or is over it answers
// InvalidState, as the reference says. See vSphere API "Task.CancelTask", "TaskInfo.cancelable".
package main

import (
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// createDelay is how long a CreateSnapshot_Task runs (-snapshot-create-ms); 0: within the call, as govmomi.
var createDelay time.Duration

var (
	cancelMu sync.Mutex
	// cancelled holds the tasks a CancelTask was accepted for, by Task MoRef value.
	cancelled = map[string]bool{}
)

// taskMethods is a Task's companion (CancelTask).
type taskMethods struct {
	mo.ExtensibleManagedObject
	task types.ManagedObjectReference
}

// CancelTask marks a running cancelable task cancelled; it ends at its next check.
func (m *taskMethods) CancelTask(ctx *simulator.Context, req *types.CancelTask) soap.HasFault {
	task, ok := ctx.Map.Get(m.task).(*simulator.Task)
	if !ok {
		return &methods.CancelTaskBody{Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: m.task})}
	}
	state := task.Info.State
	if !task.Info.Cancelable || state == types.TaskInfoStateSuccess || state == types.TaskInfoStateError {
		return &methods.CancelTaskBody{Fault_: simulator.Fault("", &types.InvalidState{})}
	}
	cancelMu.Lock()
	cancelled[m.task.Value] = true
	cancelMu.Unlock()
	return &methods.CancelTaskBody{Res: &types.CancelTaskResponse{}}
}

// slowly runs a cancelable task in the background: createDelay first, then `run` unless it was cancelled.
func slowly(task *simulator.Task, run func() (types.AnyType, types.BaseMethodFault)) types.ManagedObjectReference {
	task.Info.Cancelable = true
	task.Execute = func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		time.Sleep(createDelay)
		cancelMu.Lock()
		stop := cancelled[task.Self.Value]
		cancelMu.Unlock()
		if stop {
			return nil, &types.RequestCanceled{}
		}
		return run()
	}
	go task.Run()
	return task.Self
}
