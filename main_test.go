package main

import (
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

func TestTheDemoStartsAfresh(t *testing.T) {
	dir := t.TempDir()
	paths := platform.Paths{Database: filepath.Join(dir, "dealbooks.db")}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.WriteFile(paths.Database+suffix, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := startDemoAfresh(paths); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files of the earlier demo", len(entries))
	}
	if err := startDemoAfresh(paths); err != nil {
		t.Errorf("a demo never run before: %v", err)
	}
}
