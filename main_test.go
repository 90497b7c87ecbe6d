package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"dealbooks/app/cli"
	"dealbooks/app/platform"
	"dealbooks/app/store"
	"dealbooks/app/ui"
)

func TestCommandLinesExitAsDocumented(t *testing.T) {
	t.Setenv(platform.HomeEnv, t.TempDir())
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"version"}, cli.ExitOK},
		{[]string{"-demo", "paths"}, cli.ExitOK},
		{[]string{"frobnicate"}, cli.ExitUsage},
		{[]string{"--colour"}, cli.ExitUsage},
		{[]string{"invoice", "draft"}, cli.ExitUsage}, // caught before any account or keychain is opened
		{[]string{"connect", "xero"}, cli.ExitUsage},
		{[]string{"disconnect", "quickbooks", "--keep", "--delete"}, cli.ExitUsage},
		{[]string{"-demo", "status", "--json"}, cli.ExitOK},
		{[]string{"-demo", "disconnect", "quickbooks", "--keep"}, cli.ExitOK},
	}
	for _, c := range cases {
		if got := run(c.args); got != c.want {
			t.Errorf("dealbooks %q exits %d, want %d", c.args, got, c.want)
		}
	}
}

func TestEveryDatabaseProblemIsExplained(t *testing.T) {
	cases := []struct {
		reason store.Reason
		want   ui.ProblemKind
	}{
		{store.ReasonCorrupt, ui.ProblemDamaged},
		{store.ReasonNewerSchema, ui.ProblemNewer},
		{store.ReasonLocked, ui.ProblemInUse},
		{store.ReasonMigrationFailed, ui.ProblemMigrationFailed},
		{store.ReasonUnavailable, ui.ProblemUnavailable},
	}
	for _, c := range cases {
		err := &store.OpenError{Path: "/data/dealbooks.db", Reason: c.reason, Err: errors.New("cause")}
		if got := problemFor("/elsewhere.db", err); got.Kind != c.want || got.File != "/data/dealbooks.db" {
			t.Errorf("%v: problem = %+v, want kind %v for the error's file", c.reason, got, c.want)
		}
	}
	if got := problemFor("/data/dealbooks.db", errors.New("disk gone")); got.Kind != ui.ProblemUnavailable {
		t.Errorf("an unknown failure is %v, want ProblemUnavailable", got.Kind)
	}
}

// demoPaths are the folders of a demo profile in a new temporary folder.
func demoPaths(t *testing.T) platform.Paths {
	dir := t.TempDir()
	return platform.Paths{Data: dir, Cache: filepath.Join(dir, "cache"), Logs: filepath.Join(dir, "logs"),
		Database: filepath.Join(dir, "dealbooks.db")}
}

// openMain opens the wiring of paths, and closes it when the test ends.
func openMain(t *testing.T, paths platform.Paths, demo, unattended bool) *Main {
	t.Helper()
	m := NewMain(paths, demo)
	m.Unattended = unattended
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestTheDemoStartsAfresh(t *testing.T) {
	paths := demoPaths(t)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.WriteFile(paths.Database+suffix, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Opening the earlier demo's file would fail: it is no database.
	m := openMain(t, paths, true, false)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if b, err := os.ReadFile(paths.Database + suffix); err == nil && string(b) == "x" {
			t.Errorf("left %s of the earlier demo", filepath.Base(paths.Database+suffix))
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	openMain(t, demoPaths(t), true, false) // a demo never run before
}

// A demo command run beside the demo window (two processes; here two Mains) works, and leaves the
// window's database where it is and as it is; the next demo started after both starts afresh.
func TestADemoCommandLeavesTheDemoWindowsDatabaseAlone(t *testing.T) {
	ctx := context.Background()
	paths := demoPaths(t)
	window := openMain(t, paths, true, false)
	if err := window.DB.SetSetting(ctx, "test.window", "open"); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(paths.Database)
	if err != nil {
		t.Fatal(err)
	}

	command := openMain(t, paths, true, true)
	svc, err := command.Accounts.Service(ctx)
	if err != nil {
		t.Fatalf("the demo command's service: %v", err)
	}
	if _, err := svc.RefreshDeals(ctx); err != nil {
		t.Fatalf("the demo command could not list the demo's deals: %v", err)
	}
	if v, ok, err := window.DB.Setting(ctx, "test.window"); err != nil || !ok || v != "open" {
		t.Errorf("the window's database lost its data: %q, %v, %v", v, ok, err)
	}
	if v, ok, _ := command.DB.Setting(ctx, "test.window"); ok {
		t.Errorf("the command shares the window's database (it reads %q)", v)
	}
	// The window's file is still where it was: SQLite would go on using a deleted one, losing all of it.
	if after, err := os.Stat(paths.Database); err != nil || !os.SameFile(before, after) {
		t.Errorf("the window's database file was removed or replaced (%v)", err)
	}
	reopened, err := store.Open(ctx, paths.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if v, ok, err := reopened.Setting(ctx, "test.window"); err != nil || !ok || v != "open" {
		t.Errorf("the database file holds %q, %v, %v; want the window's data", v, ok, err)
	}
	if err := command.Close(); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := window.DB.Setting(ctx, "test.window"); err != nil || !ok || v != "open" {
		t.Errorf("after the command ended the window's database holds %q, %v, %v", v, ok, err)
	}

	if err := window.Close(); err != nil {
		t.Fatal(err)
	}
	next := openMain(t, paths, true, false)
	if v, ok, _ := next.DB.Setting(ctx, "test.window"); ok {
		t.Errorf("the next demo kept the earlier one's data (%q)", v)
	}
}
