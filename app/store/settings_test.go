package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"sync"
	"testing"
)

func TestSettingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()

	if _, ok, err := s.Setting(ctx, "missing"); ok || err != nil {
		t.Fatalf("Setting(missing) = _, %v, %v; want false, nil", ok, err)
	}
	set := map[string]string{
		"mapping.to":      "org.name",
		"due_days":        "7",
		"memo":            "Dank je wel — ß€",
		"empty.is.stored": "",
	}
	for k, v := range set {
		if err := s.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetSetting(ctx, "due_days", "14"); err != nil {
		t.Fatal(err)
	}
	set["due_days"] = "14"

	for k, want := range set {
		got, ok, err := s.Setting(ctx, k)
		if err != nil || !ok || got != want {
			t.Errorf("Setting(%q) = %q, %v, %v; want %q, true, nil", k, got, ok, err, want)
		}
	}
	all, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(all, set) {
		t.Errorf("Settings = %v, want %v", all, set)
	}

	if err := s.DeleteSetting(ctx, "memo"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSetting(ctx, "memo"); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	if _, ok, _ := s.Setting(ctx, "memo"); ok {
		t.Error("memo still present after DeleteSetting")
	}
}

func TestSettingsRejectEmptyKey(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()

	if _, _, err := s.Setting(ctx, ""); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("Setting(\"\") err = %v", err)
	}
	if err := s.SetSetting(ctx, "", "v"); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("SetSetting(\"\") err = %v", err)
	}
	if err := s.DeleteSetting(ctx, ""); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("DeleteSetting(\"\") err = %v", err)
	}
}

func TestSettingsHonourCancelledContext(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.SetSetting(ctx, "k", "v"); !errors.Is(err, context.Canceled) {
		t.Errorf("SetSetting(cancelled) err = %v, want context.Canceled", err)
	}
}

func TestConcurrentWritersWaitForEachOther(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()

	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if err := s.SetSetting(ctx, fmt.Sprintf("w%d.%d", w, i), "v"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	all, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 8*20 {
		t.Errorf("%d settings stored, want %d", len(all), 8*20)
	}
}
