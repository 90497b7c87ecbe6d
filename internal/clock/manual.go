package clock

import (
	"context"
	"sync"
	"time"
)

// Manual is a time that moves only when told. Advance moves it; Sleep moves it by the wait and returns at
// once, so code that waits (back-off, rate limits, 429s) runs instantly and a test can read its waits.
// It is safe for concurrent use.
type Manual struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

// NewManual returns a manual clock showing t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now returns the clock's time.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep records the wait, moves the clock by d and returns at once; a done ctx returns its error.
func (c *Manual) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// Slept returns the waits Sleep was asked for, in order.
func (c *Manual) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// Instant is the wall clock, except that its waits return at once: for code whose back-off should cost a
// test no time while everything else runs on real time.
type Instant struct{}

// Now returns the wall-clock time.
func (Instant) Now() time.Time { return time.Now() }

// Sleep returns at once; a done ctx returns its error.
func (Instant) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
