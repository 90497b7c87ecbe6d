package platform

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// crashDirEnv makes the test binary, started again by TestCrashOutputGoesToTheFile, capture crashes
// into that folder and panic.
const crashDirEnv = "DEALBOOKS_TEST_CRASH_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		if _, err := CaptureCrashes(dir, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		panic("boom: the app crashed")
	}
	os.Exit(m.Run())
}

func crashFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "crash-*.log"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	return names
}

func TestCrashOutputGoesToTheFile(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("child exited with %v, want the exit code 2 of a panic; output:\n%s", err, out)
	}

	files := crashFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("crash files = %v, want one", files)
	}
	data, err := os.ReadFile(filepath.Join(dir, files[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "panic: boom: the app crashed") || !strings.Contains(string(data), "goroutine") {
		t.Errorf("crash file does not hold the panic and its stack:\n%s", data)
	}
}

func TestCleanExitLeavesNoCrashFile(t *testing.T) {
	dir := t.TempDir()
	// Left by earlier runs: one that was killed (empty) and one that crashed.
	writeFile(t, filepath.Join(dir, "crash-20261101-090000-41.log"), "")
	writeFile(t, filepath.Join(dir, "crash-20261102-090000-42.log"), "panic: earlier")

	stop, err := CaptureCrashes(dir, time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	current := fmt.Sprintf("crash-20261127-140000-%d.log", os.Getpid())
	if files := crashFiles(t, dir); !slices.Equal(files, []string{"crash-20261102-090000-42.log", current}) {
		t.Errorf("while running: %v", files)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if files := crashFiles(t, dir); !slices.Equal(files, []string{"crash-20261102-090000-42.log"}) {
		t.Errorf("after a clean exit: %v, want only the earlier crash", files)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
