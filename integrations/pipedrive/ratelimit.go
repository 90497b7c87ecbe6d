package pipedrive

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Clock is the client's source of time. Tests inject one whose Sleep returns at once and moves time forward.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and returns ctx.Err() in the latter case.
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

// Search burst limit: Pipedrive allows 10 search requests per rolling 2-second window, on every plan.
const (
	searchBurst  = 10
	searchWindow = 2 * time.Second
)

// pacer lets at most n calls start in any rolling window.
type pacer struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	starts []time.Time // start times of the last n calls, oldest first
}

// wait blocks (on the clock) until one more call may start, then records it.
func (p *pacer) wait(ctx context.Context, clock Clock) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.starts) == p.n {
		if d := p.starts[0].Add(p.window).Sub(clock.Now()); d > 0 {
			if err := clock.Sleep(ctx, d); err != nil {
				return err
			}
		}
		p.starts = p.starts[1:]
	}
	p.starts = append(p.starts, clock.Now())
	return nil
}

// retryDelay is how long to wait after a 429: Retry-After (seconds or HTTP date), else x-ratelimit-reset
// (seconds until the window resets), else fallback.
func retryDelay(h http.Header, now time.Time, fallback time.Duration) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(at.Sub(now), 0)
		}
	}
	if v := h.Get("X-Ratelimit-Reset"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && secs < 1e6 {
			return time.Duration(secs * float64(time.Second))
		}
	}
	return fallback
}
