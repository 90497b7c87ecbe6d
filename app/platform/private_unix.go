//go:build !windows

package platform

import (
	"fmt"
	"os"
	"syscall"
)

// checkPrivate makes sure only this user can create or replace files in dir: a real folder (not a
// symbolic link), owned by this user, that neither group nor others may write to.
func checkPrivate(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to another user (uid %d)", dir, st.Uid)
	}
	if info.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s can be written by other users (mode %v); make it private with chmod 700", dir, info.Mode().Perm())
	}
	return nil
}
