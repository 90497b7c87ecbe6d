package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"dealbooks/app/invoicing"
)

// maxNameBytes is the longest file name most file systems allow.
const maxNameBytes = 255

// Folder is invoicing.FileCache over one directory, created when the first
// file is stored. Files are written whole or not at all: into a temporary
// file first, then renamed over the name.
type Folder struct {
	dir string
}

// NewFolder returns the file cache in dir.
func NewFolder(dir string) *Folder { return &Folder{dir: dir} }

var _ invoicing.FileCache = (*Folder)(nil)

// Put stores r's contents under name and returns the file's path.
func (f *Folder) Put(ctx context.Context, name string, r io.Reader) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return "", fmt.Errorf("file cache: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("file cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = io.Copy(tmp, ctxReader{ctx, r})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("file cache: write %s: %w", name, err)
	}
	path := filepath.Join(f.dir, name)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("file cache: %w", err)
	}
	return path, nil
}

// Get returns the path of the file stored under name, or ErrNotFound.
func (f *Folder) Get(ctx context.Context, name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	path := filepath.Join(f.dir, name)
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("file cache: %s: %w", name, invoicing.ErrNotFound)
	case err != nil:
		return "", fmt.Errorf("file cache: %w", err)
	case !info.Mode().IsRegular():
		return "", fmt.Errorf("file cache: %s is not a file: %w", name, invoicing.ErrNotFound)
	}
	return path, nil
}

// checkName accepts a plain base name that names a file inside the folder
// on every system: no separators, no parent or hidden names, no control
// characters, characters Windows forbids or trailing dots and spaces.
func checkName(name string) error {
	switch {
	case name == "" || len(name) > maxNameBytes,
		strings.HasPrefix(name, "."), strings.HasSuffix(name, "."), strings.HasSuffix(name, " "),
		strings.ContainsAny(name, `/\:*?"<>|`),
		strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return fmt.Errorf("file cache: %q is not a safe file name", name)
	}
	return nil
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
