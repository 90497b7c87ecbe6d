//go:build !windows

package platform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A socket folder that other users can write to (or a symbolic link planted in its place) is refused:
// they could hold the lock or listen on the socket first.
func TestAcquireRefusesASocketFolderOthersCanWrite(t *testing.T) {
	shared := filepath.Dir(socketInTemp(t))
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if release, err := Acquire(context.Background(), filepath.Join(shared, "instance.sock"), func() {}); err == nil {
		release()
		t.Error("Acquire in a folder everyone can write to succeeded")
	}
	if _, err := os.Stat(filepath.Join(shared, "instance.sock.lock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Acquire left a lock file in the shared folder: %v", err)
	}

	link := filepath.Join(filepath.Dir(socketInTemp(t)), "link")
	if err := os.Symlink(filepath.Dir(socketInTemp(t)), link); err != nil {
		t.Fatal(err)
	}
	if release, err := Acquire(context.Background(), filepath.Join(link, "instance.sock"), func() {}); err == nil {
		release()
		t.Error("Acquire through a symbolic link succeeded")
	}
}
