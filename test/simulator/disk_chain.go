// A virtual disk's contents through its chain of links, as VMFS redo logs work: the base link is the flat extent
// (`disk1.vmdk` + `disk1-flat.vmdk`, offset = disk offset); a snapshot adds a delta link (`disk1-000001.vmdk` +
// `disk1-000001-delta.vmdk`) that takes every later write, grain by grain, the parent staying frozen. A read
// takes each grain from the newest link holding it. The delta extent keeps a written grain at its disk offset (a
// sparse file) and this process remembers which grains a delta holds. The chain is the backing's `parent` list
// (vSphere API "VirtualDiskFlatVer2BackingInfo": fileName, parent; "VirtualMachineFileLayoutExDiskLayout").
package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// grain is the unit of a delta link and of change tracking (bytes).
const grain = 64 << 10

type backing = types.VirtualDiskFlatVer2BackingInfo

var (
	deltasMu sync.Mutex
	// deltas holds, per delta descriptor (datastore path), the grains the link holds.
	deltas = map[string]map[int64]bool{}
	// linkSuffix matches the "-000001" of a delta descriptor's name.
	linkSuffix = regexp.MustCompile(`-\d{6}$`)
)

// grainsOf is the grain set of a delta link, nil for a base link.
func grainsOf(fileName string) map[int64]bool {
	deltasMu.Lock()
	defer deltasMu.Unlock()
	return deltas[fileName]
}

// localPath resolves a datastore path `[ds] dir/file` to the file on this machine.
func localPath(dsPath string) (string, bool) {
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return "", false
	}
	for _, obj := range simulator.Map.All("Datastore") {
		if ds := obj.(*simulator.Datastore); ds.Name == p.Datastore {
			return filepath.Join(ds.Info.GetDatastoreInfo().Url, p.Path), true
		}
	}
	return "", false
}

// extentName is the datastore path of a link's extent: `-flat.vmdk` for a base link, `-delta.vmdk` for a delta.
func extentName(fileName string) string {
	if grainsOf(fileName) != nil {
		return strings.TrimSuffix(fileName, ".vmdk") + "-delta.vmdk"
	}
	return strings.TrimSuffix(fileName, ".vmdk") + "-flat.vmdk"
}

// readExtent fills p from a link's extent at off; bytes past its end read as zeros.
func readExtent(fileName string, off int64, p []byte) error {
	file, _ := localPath(extentName(fileName))
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		zero(p)
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := f.ReadAt(p, off)
	if err == io.EOF {
		err = nil
	}
	zero(p[n:])
	return err
}

// writeExtent writes p into a link's extent at off (creating the file, growing it as needed).
func writeExtent(fileName string, off int64, p []byte) error {
	file, _ := localPath(extentName(fileName))
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err = f.WriteAt(p, off); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func zero(p []byte) {
	for i := range p {
		p[i] = 0
	}
}

// readGrain reads grain g of the disk as seen from link b (the newest link holding it).
func readGrain(b *backing, g int64, p []byte) error {
	for link := b; link != nil; link = link.Parent {
		held := grainsOf(link.FileName)
		if held == nil {
			return readExtent(link.FileName, g*grain, p)
		}
		if held[g] {
			return readExtent(link.FileName, g*grain, p)
		}
	}
	zero(p)
	return nil
}

// readDisk fills p with the disk's bytes at off as seen from link b.
func readDisk(b *backing, off int64, p []byte) error {
	buf := make([]byte, grain)
	for done := 0; done < len(p); {
		at := off + int64(done)
		g, in := at/grain, int(at%grain)
		if err := readGrain(b, g, buf); err != nil {
			return err
		}
		done += copy(p[done:], buf[in:])
	}
	return nil
}

// writeDisk writes p at off into the head link b: in place for a base link; for a delta, a grain it does not
// hold yet is first copied up from the chain below (copy on write), then held.
func writeDisk(b *backing, off int64, p []byte) error {
	held := grainsOf(b.FileName)
	if held == nil {
		return writeExtent(b.FileName, off, p)
	}
	buf := make([]byte, grain)
	for done := 0; done < len(p); {
		at := off + int64(done)
		g, in := at/grain, int(at%grain)
		if err := readGrain(b, g, buf); err != nil {
			return err
		}
		done += copy(buf[in:], p[done:])
		if err := writeExtent(b.FileName, g*grain, buf); err != nil {
			return err
		}
		deltasMu.Lock()
		held[g] = true
		deltasMu.Unlock()
	}
	return nil
}

// newDelta creates the next delta link over head (descriptor and empty extent beside it, as ESXi names them:
// `<disk>-000001.vmdk`, ...) and returns its backing: same disk identity, parent = head.
func newDelta(head *backing, capacity int64) (*backing, error) {
	dir, base := path.Split(head.FileName)
	stem := linkSuffix.ReplaceAllString(strings.TrimSuffix(base, ".vmdk"), "")
	for n := 1; ; n++ {
		name := fmt.Sprintf("%s%s-%06d.vmdk", dir, stem, n)
		file, ok := localPath(name)
		if !ok {
			return nil, fmt.Errorf("no datastore for %s", name)
		}
		if _, err := os.Stat(file); err == nil {
			continue
		}
		_, parentBase := path.Split(head.FileName)
		extent := strings.TrimSuffix(path.Base(name), ".vmdk") + "-delta.vmdk"
		descriptor := fmt.Sprintf("# Disk DescriptorFile\nversion=1\ncreateType=\"vmfsSparse\"\n"+
			"parentFileNameHint=\"%s\"\n# Extent description\nRW %d VMFSSPARSE \"%s\"\n", parentBase, capacity/512, extent)
		if err := os.WriteFile(file, []byte(descriptor), 0o600); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(file), extent), nil, 0o600); err != nil {
			return nil, err
		}
		deltasMu.Lock()
		deltas[name] = map[int64]bool{}
		deltasMu.Unlock()
		link := *head
		link.FileName = name
		link.Parent = head
		link.DeltaDiskFormat = string(types.VirtualDiskDeltaDiskFormatRedoLogFormat)
		return &link, nil
	}
}

// mergeDelta writes every grain the delta link d holds into its parent link (consolidation), then deletes the
// delta's descriptor and extent. The disk as seen from any link above d is unchanged.
func mergeDelta(d *backing) error {
	held := grainsOf(d.FileName)
	if held == nil || d.Parent == nil {
		return fmt.Errorf("%s is not a delta link", d.FileName)
	}
	buf := make([]byte, grain)
	for g := range held {
		if err := readExtent(d.FileName, g*grain, buf); err != nil {
			return err
		}
		if err := writeDisk(d.Parent, g*grain, buf); err != nil {
			return err
		}
	}
	for _, name := range []string{extentName(d.FileName), d.FileName} {
		if file, ok := localPath(name); ok {
			_ = os.Remove(file)
		}
	}
	deltasMu.Lock()
	delete(deltas, d.FileName)
	deltasMu.Unlock()
	return nil
}

// withoutLink returns chain b with the link named `name` left out (its parent takes its place; a head link
// left out keeps its change id on the link that replaces it). Links are copied, never changed: snapshots share them.
func withoutLink(b *backing, name string) *backing {
	if b == nil {
		return nil
	}
	if b.FileName == name {
		if b.Parent == nil {
			return b
		}
		up := *b.Parent
		up.ChangeId = b.ChangeId
		return &up
	}
	link := *b
	link.Parent = withoutLink(b.Parent, name)
	return &link
}
