package invoicing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DirFiles is a FileCache in one folder, such as the user's cache folder.
type DirFiles struct {
	Dir string
}

// Put writes the file whole (through a temporary file and a rename), so a
// cached PDF is never half written.
func (f DirFiles) Put(ctx context.Context, name string, r io.Reader) (string, error) {
	path, err := f.path(name)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return "", fmt.Errorf("create cache folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.Dir, ".part-*")
	if err != nil {
		return "", fmt.Errorf("cache %s: %w", name, err)
	}
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("cache %s: %w", name, err)
	}
	return path, nil
}

// Get returns the path of the cached file name, or ErrNotFound.
func (f DirFiles) Get(_ context.Context, name string) (string, error) {
	path, err := f.path(name)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("cached %s: %w", name, ErrNotFound)
	} else if err != nil {
		return "", fmt.Errorf("cached %s: %w", name, err)
	}
	return path, nil
}

// path returns where name lives, refusing names that are not plain file names.
func (f DirFiles) path(name string) (string, error) {
	if name == "" || name == "." || name == ".." || filepath.Base(name) != name || !filepath.IsLocal(name) {
		return "", fmt.Errorf("cache file name %q is not a plain file name", name)
	}
	return filepath.Join(f.Dir, name), nil
}
