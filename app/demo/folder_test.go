package demo

import (
	"os"
	"path/filepath"
	"testing"
)

// writeEarlierDemo leaves the files a demo run leaves: the database and SQLite's two companions.
func writeEarlierDemo(t *testing.T, database string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.WriteFile(database+suffix, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestClaimedFolderStartsAfresh(t *testing.T) {
	dir := t.TempDir()
	database := filepath.Join(dir, "dealbooks.db")
	writeEarlierDemo(t, database)
	f, err := ClaimFolder(dir, database)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dir != dir || f.Database != database || f.Temporary {
		t.Errorf("claimed %+v, want the demo's own folder", f)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(database + suffix); !os.IsNotExist(err) {
			t.Errorf("%s of the earlier demo is still there (%v)", filepath.Base(database+suffix), err)
		}
	}
	if err := f.Release(); err != nil {
		t.Fatal(err)
	}

	f, err = ClaimFolder(filepath.Join(dir, "never-run"), filepath.Join(dir, "never-run", "dealbooks.db"))
	if err != nil {
		t.Errorf("a demo never run before: %v", err)
	} else {
		f.Release()
	}
}

// While one run holds the demo's folder, a second run (the command line beside the demo window) leaves
// its database alone and works in a temporary folder, which it removes when done; once the first run
// is over, the next one has the folder again.
func TestHeldFolderIsLeftAlone(t *testing.T) {
	dir := t.TempDir()
	database := filepath.Join(dir, "dealbooks.db")
	first, err := ClaimFolder(dir, database)
	if err != nil {
		t.Fatal(err)
	}
	writeEarlierDemo(t, database) // the first run's open database

	second, err := ClaimFolder(dir, database)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Temporary || second.Dir == dir || filepath.Dir(second.Database) != second.Dir {
		t.Errorf("the second run got %+v, want a temporary folder of its own", second)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if b, err := os.ReadFile(database + suffix); err != nil || string(b) != "x" {
			t.Errorf("the first run's %s = %q, %v; want it untouched", filepath.Base(database+suffix), b, err)
		}
	}
	if err := os.WriteFile(second.Database, []byte("y"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := second.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(second.Dir); !os.IsNotExist(err) {
		t.Errorf("the temporary folder %s is still there (%v)", second.Dir, err)
	}

	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	third, err := ClaimFolder(dir, database)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Release()
	if third.Temporary {
		t.Error("the folder was not given back when the first run ended")
	}
}
