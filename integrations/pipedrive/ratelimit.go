package pipedrive

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"dealbooks/integrations/internal/httpx"
	"dealbooks/internal/clock"
)

// Clock tells the time and waits; tests inject one that moves only when told.
type Clock = clock.Clock

// Pipedrive's burst limits: a rolling 2-second window per token. The general limit depends on the plan and the
// kind of token (20 to 480; every answer names it in x-ratelimit-limit); search is 10 on every plan.
const (
	burstWindow      = 2 * time.Second
	searchBurstLimit = 10
	// initialBurstLimit is the lowest plan's limit (Lite, API token), used until an answer names the real one.
	initialBurstLimit = 20
)

// pacer keeps calls under a limit of n per rolling window with a token bucket. A bucket of burst b refilling at r
// lets b + r·window calls start in any window, so it holds half the limit and refills the other half per window:
// never more than n in any window, and a steady n/2 per window under load.
type pacer struct {
	mu    sync.Mutex
	n     int
	limit *rate.Limiter
}

func newPacer(n int) *pacer {
	p := &pacer{}
	p.setLimit(time.Time{}, n)
	return p
}

// setLimit adopts a limit of n calls per burst window, from time now.
func (p *pacer) setLimit(now time.Time, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n == p.n {
		return
	}
	p.n = n
	burst := max(n/2, 1)
	every := rate.Every(burstWindow / time.Duration(max(n-burst, 1)))
	if p.limit == nil {
		p.limit = rate.NewLimiter(every, burst)
		return
	}
	p.limit.SetLimitAt(now, every)
	p.limit.SetBurstAt(now, burst)
}

// wait blocks (on the clock) until one more call may start.
func (p *pacer) wait(ctx context.Context, c Clock) error {
	p.mu.Lock()
	l := p.limit
	p.mu.Unlock()
	return clock.Wait(ctx, c, l)
}

// learn adopts the general burst limit an answer names in x-ratelimit-limit.
func (p *pacer) learn(h http.Header, now time.Time) {
	n, err := strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	if err != nil || n < 2 || n > 10000 {
		return
	}
	p.setLimit(now, n)
}

// retryDelay is how long to wait after a 429: Retry-After (seconds or HTTP date), else x-ratelimit-reset
// (seconds until the window resets), else fallback.
func retryDelay(h http.Header, now time.Time, fallback time.Duration) time.Duration {
	if d, ok := httpx.RetryAfter(h, now); ok {
		return d
	}
	if v := h.Get("X-Ratelimit-Reset"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && secs < 1e6 {
			return time.Duration(secs * float64(time.Second))
		}
	}
	return fallback
}
