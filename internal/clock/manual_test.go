package clock

import (
	"context"
	"errors"
	"slices"
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

func TestAfterFuncRunsWhenTheClockPassesItUnlessStopped(t *testing.T) {
	c := NewManual(time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC))
	var ran []string
	c.AfterFunc(2*time.Minute, func() { ran = append(ran, "two") })
	c.AfterFunc(time.Minute, func() {
		ran = append(ran, "one")
		c.AfterFunc(time.Minute, func() { ran = append(ran, "set by one") })
	})
	stop := c.AfterFunc(time.Minute, func() { ran = append(ran, "stopped") })
	if !stop() {
		t.Error("stop of a waiting call reported it had already run")
	}
	c.Advance(59 * time.Second)
	if len(ran) != 0 {
		t.Fatalf("ran %q before its time", ran)
	}
	c.Advance(time.Second)
	if err := c.Sleep(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "two", "set by one"}; !slices.Equal(ran, want) {
		t.Errorf("ran %q, want %q", ran, want)
	}
	if got, want := c.Timers(), []time.Duration{2 * time.Minute, time.Minute, time.Minute, time.Minute}; !slices.Equal(got, want) {
		t.Errorf("Timers = %v, want %v", got, want)
	}
	if stop() {
		t.Error("stop reported it kept a call from running twice")
	}
}
