package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func latestVersion(t *testing.T) int {
	t.Helper()
	migrations, err := shippedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	return migrations[len(migrations)-1].version
}

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// rawExec runs SQL on a plain connection, as another program would.
func rawExec(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite", fileDSN(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

func pragma(t *testing.T, s *Store, name string) string {
	t.Helper()
	var v string
	if err := s.db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenCreatesAndMigratesNewDatabase(t *testing.T) {
	// A folder that does not exist yet, with characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "new folder", "a#b?c.db")
	s := openStore(t, path)
	defer s.Close()

	if got, want := pragma(t, s, "user_version"), latestVersion(t); got != strconv.Itoa(want) {
		t.Errorf("user_version = %s, want %d", got, want)
	}
	for name, want := range map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "2", // FULL
		"busy_timeout": "5000",
	} {
		if got := pragma(t, s, name); got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("database file not at %s: %v", path, err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("database file mode = %v, want 0600", info.Mode().Perm())
	}
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	s := openStore(t, path)
	if err := s.SetSetting(ctx, "due_days", "7"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path)
	defer s.Close()
	got, ok, err := s.Setting(ctx, "due_days")
	if err != nil || !ok || got != "7" {
		t.Fatalf("Setting after reopen = %q, %v, %v; want \"7\", true, nil", got, ok, err)
	}
	if got, want := pragma(t, s, "user_version"), latestVersion(t); got != strconv.Itoa(want) {
		t.Errorf("user_version after reopen = %s, want %d", got, want)
	}
}

func TestOpenAcceptsEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path)
	defer s.Close()
	if err := s.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
}

// assertRefused checks that Open refuses path for the given reason and leaves it byte-for-byte as it
// was, with no -wal or -shm file beside it.
func assertRefused(t *testing.T, path string, want Reason) {
	t.Helper()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatalf("Open succeeded, want %v", want)
	}
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Open error = %v (%T), want *OpenError", err, err)
	}
	if oe.Reason != want || oe.Path != path {
		t.Errorf("OpenError = {%s, %v}, want {%s, %v}", oe.Path, oe.Reason, path, want)
	}
	if oe.Advice() == "" || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q lacks the path or advice %q", err, oe.Advice())
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the refused file was modified")
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s file left behind", suffix)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	if err := openStore(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	rawExec(t, path, "PRAGMA user_version = "+strconv.Itoa(latestVersion(t)+1))

	assertRefused(t, path, ReasonNewerSchema)
}

func TestOpenRefusesCorruptFile(t *testing.T) {
	tests := []struct {
		name  string
		write func(t *testing.T, path string)
	}{
		{"not a database", func(t *testing.T, path string) {
			writeFile(t, path, []byte("name,amount\nAcme,100\n"))
		}},
		{"truncated header", func(t *testing.T, path string) {
			writeFile(t, path, sqliteHeader[:10])
		}},
		{"truncated database", func(t *testing.T, path string) {
			if err := openStore(t, path).Close(); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, data[:1000])
		}},
		{"damaged page", func(t *testing.T, path string) {
			s := openStore(t, path)
			for i := range 200 {
				if err := s.SetSetting(context.Background(), "key"+strconv.Itoa(i), strings.Repeat("x", 100)); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Page 2 is the settings table's root; its first byte is the b-tree page type.
			copy(data[4096:], bytes.Repeat([]byte{0xAA}, 64))
			writeFile(t, path, data)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dealbooks.db")
			tt.write(t, path)
			assertRefused(t, path, ReasonCorrupt)
		})
	}
}

func TestOpenRefusesFolder(t *testing.T) {
	path := t.TempDir()
	_, err := Open(context.Background(), path)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Reason != ReasonUnavailable {
		t.Fatalf("Open(folder) = %v, want *OpenError with ReasonUnavailable", err)
	}
}

func TestOpenReportsLockedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	// Another program has the (not yet migrated) database open in the middle of a write.
	other, err := sql.Open("sqlite", fileDSN(path, "_pragma=journal_mode(WAL)"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("CREATE TABLE other (x)"); err != nil {
		t.Fatal(err)
	}

	_, err = open(context.Background(), path, 50*time.Millisecond)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Reason != ReasonLocked {
		t.Fatalf("Open(locked) = %v, want *OpenError with ReasonLocked", err)
	}
}

func TestOpenWithCancelledContextIsNotAnOpenError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	if err := openStore(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Open(ctx, path)
	var oe *OpenError
	if !errors.Is(err, context.Canceled) || errors.As(err, &oe) {
		t.Fatalf("Open(cancelled) = %v, want context.Canceled and no *OpenError", err)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOpenKeepsWritesLeftInTheLogByACrash(t *testing.T) {
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "dealbooks.db")
	s := openStore(t, live)
	defer s.Close()
	if err := s.SetSetting(ctx, "due_days", "7"); err != nil {
		t.Fatal(err)
	}
	// Copy the files as a crash would leave them: the last write is still only in the -wal file.
	crashed := filepath.Join(t.TempDir(), "dealbooks.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, crashed+suffix, data)
	}

	s2 := openStore(t, crashed)
	defer s2.Close()
	if got, ok, err := s2.Setting(ctx, "due_days"); err != nil || !ok || got != "7" {
		t.Errorf("Setting after crash = %q, %v, %v; want \"7\", true, nil", got, ok, err)
	}
}
