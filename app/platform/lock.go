package platform

import "github.com/gofrs/flock"

// lockFile takes an exclusive lock on path, creating the file (0600) if needed, without waiting:
// github.com/gofrs/flock, flock(2) on Unix and LockFileEx on Windows. The lock belongs to this open
// file, so it is released by unlock or when the process ends, however it ends.
func lockFile(path string) (unlock func(), err error) {
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errLocked
	}
	return func() { l.Unlock() }, nil
}
