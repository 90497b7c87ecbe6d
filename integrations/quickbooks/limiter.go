package quickbooks

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits. Tests inject one that moves only when told.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever is first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// limiter keeps a realm within QuickBooks' limits: at most inFlight requests
// at once and at most perMinute requests started in any sliding minute.
type limiter struct {
	clock     Clock
	slots     chan struct{}
	perMinute int

	mu      sync.Mutex
	started []time.Time // start times within the last minute, oldest first
}

func newLimiter(clock Clock, inFlight, perMinute int) *limiter {
	return &limiter{clock: clock, slots: make(chan struct{}, inFlight), perMinute: perMinute}
}

// acquire waits for a free slot and for room in the minute window; the
// returned func releases the slot.
func (l *limiter) acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-l.slots }
	for {
		wait := l.reserve()
		if wait == 0 {
			return release, nil
		}
		if err := l.clock.Sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
}

// reserve records a start now if the window has room, else says how long
// until the oldest start leaves the window.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	cut := 0
	for cut < len(l.started) && now.Sub(l.started[cut]) >= time.Minute {
		cut++
	}
	l.started = l.started[cut:]
	if len(l.started) < l.perMinute {
		l.started = append(l.started, now)
		return 0
	}
	return time.Minute - now.Sub(l.started[0])
}
