package quickbooks

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"dealbooks/internal/clock"
)

// Clock tells the time and waits; tests inject one that moves only when told.
type Clock = clock.Clock

// limiter keeps a realm within QuickBooks' limits: at most inFlight requests at once and at most perMinute
// requests started in any sliding minute.
type limiter struct {
	clock  Clock
	slots  *semaphore.Weighted
	starts *rate.Limiter
}

// newLimiter paces starts with a token bucket. A bucket of burst b refilling at r per minute lets b + r calls
// start in any one minute, so r is perMinute - b: never more than perMinute in a sliding minute.
func newLimiter(clock Clock, inFlight, perMinute int) *limiter {
	burst := max(min(inFlight, perMinute/2), 1)
	every := time.Minute / time.Duration(max(perMinute-burst, 1))
	return &limiter{clock: clock, slots: semaphore.NewWeighted(int64(inFlight)), starts: rate.NewLimiter(rate.Every(every), burst)}
}

// acquire waits for a free slot and for room in the minute; the returned func releases the slot.
func (l *limiter) acquire(ctx context.Context) (release func(), err error) {
	if err := l.slots.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	release = func() { l.slots.Release(1) }
	if err := clock.Wait(ctx, l.clock, l.starts); err != nil {
		release()
		return nil, err
	}
	return release, nil
}
