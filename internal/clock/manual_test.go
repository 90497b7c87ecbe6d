package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestManualMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC)
	c := NewManual(start)
	c.Advance(time.Minute)
	if err := c.Sleep(context.Background(), 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := c.Now(); !got.Equal(start.Add(90 * time.Second)) {
		t.Errorf("Now = %v, want 90 s after the start", got)
	}
	if got := c.Slept(); len(got) != 1 || got[0] != 30*time.Second {
		t.Errorf("Slept = %v, want [30s]", got)
	}
}

func TestSleepOnADoneContextSaysSo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewManual(time.Now()).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Manual.Sleep = %v", err)
	}
	if err := (Instant{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Instant.Sleep = %v", err)
	}
}
