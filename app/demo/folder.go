package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// LockName is the lock file in the demo profile's data folder, held by the process whose run uses
// that folder.
const LockName = "demo.lock"

// Folder is where one run of the demo keeps its database, its sign-ins and its downloads.
type Folder struct {
	// Dir is the demo profile's data folder, or, while another process holds that, a temporary
	// folder of this run's own.
	Dir string
	// Database is the database file in Dir.
	Database string
	// Temporary says Dir is a temporary folder, which Release removes.
	Temporary bool

	lock *flock.Flock
}

// ClaimFolder claims dir, the demo profile's data folder, for this run, and deletes the database
// (database, a file in dir) an earlier run left: the demo's fakes start from their seed at every
// launch, so copies of an earlier run's invoices would name invoices that no longer exist.
//
// While another process holds the folder (the demo window, or another demo command), nothing in it
// is touched, since that process's database is open: the run gets a temporary folder of its own
// instead. Release gives the folder back.
func ClaimFolder(dir, database string) (*Folder, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	lock := flock.New(filepath.Join(dir, LockName), flock.SetPermissions(0o600))
	claimed, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("demo: claim %s: %w", dir, err)
	}
	if !claimed {
		tmp, err := os.MkdirTemp("", "dealbooks-demo-")
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		return &Folder{Dir: tmp, Database: filepath.Join(tmp, filepath.Base(database)), Temporary: true}, nil
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(database + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, errors.Join(fmt.Errorf("demo: start afresh: %w", err), lock.Close())
		}
	}
	return &Folder{Dir: dir, Database: database, lock: lock}, nil
}

// Release lets another run claim the demo's folder, or removes the temporary folder. Whatever uses
// the folder's files must be closed first.
func (f *Folder) Release() error {
	if f.Temporary {
		return os.RemoveAll(f.Dir)
	}
	return f.lock.Close()
}
