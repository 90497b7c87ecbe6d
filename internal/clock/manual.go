package clock

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Manual is a time that moves only when told. Advance moves it; Sleep moves it by the wait and returns at
// once, so code that waits (back-off, rate limits, 429s) runs instantly and a test can read its waits;
// AfterFunc's calls run as the clock passes them. It is safe for concurrent use.
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	timers []*manualTimer
	delays []time.Duration
}

// manualTimer is a call AfterFunc set; it runs once the clock reaches at.
type manualTimer struct {
	at      time.Time
	f       func()
	settled bool // run or stopped
}

// NewManual returns a manual clock showing t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now returns the clock's time.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d, running the AfterFunc calls it passes, earliest first.
func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	c.runDue()
}

// Sleep records the wait, moves the clock by d as Advance does and returns at once; a done ctx returns its
// error.
func (c *Manual) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	c.runDue()
	return ctx.Err()
}

// Slept returns the waits Sleep was asked for, in order.
func (c *Manual) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// AfterFunc is time.AfterFunc on this clock: f runs once the clock has moved d on, on the goroutine that moves
// it, unless stop is called first. stop reports whether it kept f from running.
func (c *Manual) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	c.delays = append(c.delays, d)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		waiting := !t.settled
		t.settled = true
		return waiting
	}
}

// Timers returns the delays AfterFunc was given, in order.
func (c *Manual) Timers() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.delays...)
}

// runDue runs, earliest first, the AfterFunc calls the clock has reached; a call may set new ones.
func (c *Manual) runDue() {
	for {
		c.mu.Lock()
		var next *manualTimer
		for _, t := range c.timers {
			if !t.settled && !t.at.After(c.now) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			c.timers = slices.DeleteFunc(c.timers, func(t *manualTimer) bool { return t.settled })
			c.mu.Unlock()
			return
		}
		next.settled = true
		c.mu.Unlock()
		next.f()
	}
}

// Instant is the wall clock, except that its waits return at once: for code whose back-off should cost a
// test no time while everything else runs on real time.
type Instant struct{}

// Now returns the wall-clock time.
func (Instant) Now() time.Time { return time.Now() }

// Sleep returns at once; a done ctx returns its error.
func (Instant) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
