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
)

// FileName is the fallback file in the data folder.
const FileName = "secrets.json"

// FileStore keeps secrets as a JSON object in a file only the user can read (0600, in a 0700
// folder), for machines where no OS keychain answers. Each change rewrites the whole file
// through a temporary file and a rename, so a crash leaves the old file or the new one.
type FileStore struct {
	dir  string
	path string
	mu   sync.Mutex
}

// NewFile returns the fallback store in dir.
func NewFile(dir string) *FileStore {
	return &FileStore{dir: dir, path: filepath.Join(dir, FileName)}
}

// Path is the file's location.
func (f *FileStore) Path() string { return f.path }

// Get returns the secret under key, or ErrNotFound.
func (f *FileStore) Get(ctx context.Context, key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	values, err := f.read(ctx)
	if err != nil {
		return "", err
	}
	value, ok := values[key]
	if !ok {
		return "", fmt.Errorf("secrets: %s: %w", key, ErrNotFound)
	}
	return value, nil
}

// Set stores value under key.
func (f *FileStore) Set(ctx context.Context, key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	values, err := f.read(ctx)
	if err != nil {
		return err
	}
	values[key] = value
	return f.write(values)
}

// Delete removes key; a missing key is not an error.
func (f *FileStore) Delete(ctx context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	values, err := f.read(ctx)
	if err != nil {
		return err
	}
	if _, ok := values[key]; !ok {
		return nil
	}
	delete(values, key)
	return f.write(values)
}

// Kind is File.
func (f *FileStore) Kind() Kind { return File }

// Describe says where the secrets are, and why.
func (f *FileStore) Describe() string {
	return fmt.Sprintf("No OS keychain answered, so sign-ins and client secrets are kept in %s, readable only by you.", f.path)
}

// read returns the stored values; a missing file holds none. The caller holds the lock.
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

// write replaces the file with values.
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

// remove deletes the file. Like read, it takes no lock: Open uses both before it shares the store.
func (f *FileStore) remove(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("secrets: %w", err)
	}
	return nil
}
