package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// FileName is the fallback file in the data folder.
const FileName = "secrets.json"

// LockName is the lock file beside FileName.
const LockName = FileName + ".lock"

// lockRetry is how often a call waiting for another process's lock on the file tries again; the
// lock is held only while the file is read and rewritten.
const lockRetry = 5 * time.Millisecond

// FileStore keeps secrets as a JSON object in a file only the user can read (0600, in a 0700
// folder), for machines where no OS keychain answers. Each change rewrites the whole file
// through a temporary file and a rename, so a crash leaves the old file or the new one.
//
// Every call holds a lock on a file beside it (LockName) while it reads and rewrites the file, so
// that two processes (the window and a command) each re-read the other's last change before adding
// theirs: without it, one could write back a refresh token the provider has already rotated.
type FileStore struct {
	dir  string
	path string
	mu   sync.Mutex // orders this process's calls; the lock file orders the processes
}

// NewFile returns the fallback store in dir.
func NewFile(dir string) *FileStore {
	return &FileStore{dir: dir, path: filepath.Join(dir, FileName)}
}

// Path is the file's location.
func (f *FileStore) Path() string { return f.path }

// Get returns the secret under key, or ErrNotFound.
func (f *FileStore) Get(ctx context.Context, key string) (string, error) {
	var value string
	err := f.locked(ctx, false, func() error {
		values, err := f.read(ctx)
		if err != nil {
			return err
		}
		v, ok := values[key]
		if !ok {
			return fmt.Errorf("secrets: %s: %w", key, ErrNotFound)
		}
		value = v
		return nil
	})
	return value, err
}

// Set stores value under key, keeping every other key as the file holds it now.
func (f *FileStore) Set(ctx context.Context, key, value string) error {
	return f.locked(ctx, true, func() error {
		values, err := f.read(ctx)
		if err != nil {
			return err
		}
		values[key] = value
		return f.write(values)
	})
}

// Delete removes key; a missing key is not an error.
func (f *FileStore) Delete(ctx context.Context, key string) error {
	return f.locked(ctx, false, func() error {
		values, err := f.read(ctx)
		if err != nil {
			return err
		}
		if _, ok := values[key]; !ok {
			return nil
		}
		delete(values, key)
		return f.write(values)
	})
}

// locked runs fn holding f's mutex and the lock file, waiting for another process's lock until ctx
// ends. A folder that does not exist yet is created when create is set; otherwise it holds no file
// and no lock is needed to read nothing.
func (f *FileStore) locked(ctx context.Context, create bool, fn func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if create {
		if err := os.MkdirAll(f.dir, 0o700); err != nil {
			return fmt.Errorf("secrets: %w", err)
		}
	} else if _, err := os.Stat(f.dir); errors.Is(err, fs.ErrNotExist) {
		return fn()
	}
	lock := flock.New(filepath.Join(f.dir, LockName), flock.SetPermissions(0o600))
	locked, err := lock.TryLockContext(ctx, lockRetry)
	if !locked {
		if err == nil {
			err = errors.New("not locked")
		}
		return fmt.Errorf("secrets: waiting for %s: %w", lock.Path(), err)
	}
	defer lock.Close()
	return fn()
}

// Kind is File.
func (f *FileStore) Kind() Kind { return File }

// Describe says where the secrets are, and why.
func (f *FileStore) Describe() string {
	return fmt.Sprintf("No OS keychain answered, so sign-ins and client secrets are kept in %s, readable only by you.", f.path)
}

// read returns the stored values; a missing file holds none. The caller holds the locks.
func (f *FileStore) read(ctx context.Context) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("secrets: reading %s: %w", f.path, err)
	}
	values := make(map[string]string)
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return values, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	if err := json.Unmarshal(b, &values); err != nil {
		// The decoder's message could quote the file; say only where it is.
		return nil, fmt.Errorf("secrets: %s is damaged; delete it and connect again", f.path)
	}
	return values, nil
}

// write replaces the file with values. The caller holds the locks.
func (f *FileStore) write(values map[string]string) error {
	b, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("secrets: encoding %s: %w", f.path, err)
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, FileName+".*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("secrets: writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("secrets: writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	return nil
}

// remove deletes the file. The caller holds the locks.
func (f *FileStore) remove(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("secrets: %w", err)
	}
	return nil
}
