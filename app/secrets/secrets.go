// Package secrets keeps tokens and client credentials in the OS keychain, or a private file without one.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// ErrNotFound: nothing is stored under the key. It matches fs.ErrNotExist too, which is how
// integrations/oauth recognises it without importing this package.
var ErrNotFound = fmt.Errorf("secrets: not found: %w", fs.ErrNotExist)

// Store keeps named secrets. Every call takes a context; none blocks past it.
type Store interface {
	// Get returns the value under key, or ErrNotFound.
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// Kind says where the secrets are kept, for the Settings screen.
	Kind() Kind
	// Describe is a sentence for the Settings screen saying where the secrets are kept.
	Describe() string
}

// Kind is where a Store keeps its secrets.
type Kind int

const (
	// Keychain is the OS keychain: Credential Manager, macOS Keychain or the Secret Service.
	Keychain Kind = iota + 1
	// File is a file only the user can read, in the app's data folder.
	File
)

func (k Kind) String() string {
	switch k {
	case Keychain:
		return "OS keychain"
	case File:
		return "private file"
	}
	return fmt.Sprintf("secrets.Kind(%d)", int(k))
}

// DefaultTimeout bounds each keychain call when Options.Timeout is zero. It leaves time for an
// unlock prompt but not for a Secret Service that will never answer.
const DefaultTimeout = 20 * time.Second

// probeTimeout bounds the one call Open makes to learn whether a keychain answers.
const probeTimeout = 5 * time.Second

// Options says where Open keeps secrets.
type Options struct {
	Service string        // the keychain service name, e.g. "dealbooks"
	Dir     string        // the data folder for the fallback file
	Timeout time.Duration // per keychain call; 0 means DefaultTimeout
}

// Open returns the OS keychain if it answers, and otherwise the 0600 file in opts.Dir. It asks
// the keychain once. When the keychain answers and an earlier run left secrets in the file, they
// are moved into the keychain and the file is removed; if that move fails the file stays in use,
// so no secret is split between the two.
func Open(ctx context.Context, opts Options) (Store, error) {
	if opts.Service == "" || opts.Dir == "" {
		return nil, errors.New("secrets: Open needs a service name and a data folder")
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	return choose(ctx, NewKeychain(opts.Service, timeout), NewFile(opts.Dir)), nil
}

// choose is Open with its two stores given.
func choose(ctx context.Context, kc *KeychainStore, file *FileStore) Store {
	if !kc.answers(ctx) {
		return file
	}
	if err := moveAll(ctx, file, kc); err != nil {
		return file
	}
	return kc
}

// moveAll moves every secret in the file into the keychain and removes the file, holding the file's
// lock so that no other process's change to the file is lost in the move.
func moveAll(ctx context.Context, file *FileStore, kc *KeychainStore) error {
	if _, err := os.Stat(file.path); errors.Is(err, fs.ErrNotExist) {
		return nil // nothing to move, and no lock file to leave beside a working keychain
	}
	return file.locked(ctx, false, func() error {
		values, err := file.read(ctx)
		if err != nil || len(values) == 0 {
			return err
		}
		for key, value := range values {
			if err := kc.Set(ctx, key, value); err != nil {
				return err
			}
		}
		return file.remove(ctx)
	})
}

// isNotFound reports whether err means a missing key.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
