package platform

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// CaptureCrashes sends the Go runtime's crash output (an unrecovered panic, a fatal error, a
// deadlock) to a new file, <dir>/crash-<UTC time>-<pid>.log, since a Windows GUI app has no console to
// print it on.
//
// Policy: on a clean exit the caller runs the returned stop function, which stops the capture and
// deletes the file if it is empty. A crash leaves the file, with the stack, for the user to send to
// support. The file of a process that was killed (and so never wrote or deleted anything) is empty;
// such empty files from earlier runs are deleted here. Call this after acquiring the single-instance
// lock, so the empty file of a running instance is never taken for a leftover.
func CaptureCrashes(dir string, now time.Time) (stop func() error, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create crash folder: %w", err)
	}
	removeEmptyCrashFiles(dir)

	name := fmt.Sprintf("crash-%s-%d.log", now.UTC().Format("20060102-150405"), os.Getpid())
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create crash file: %w", err)
	}
	defer f.Close() // the runtime keeps its own duplicate of the descriptor
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("capture crash output: %w", err)
	}
	return func() error {
		if err := debug.SetCrashOutput(nil, debug.CrashOptions{}); err != nil {
			return fmt.Errorf("stop capturing crash output: %w", err)
		}
		if info, err := os.Stat(path); err == nil && info.Size() == 0 {
			return os.Remove(path)
		}
		return nil
	}, nil
}

func removeEmptyCrashFiles(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "crash-") || !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.Size() == 0 {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
