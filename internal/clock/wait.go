package clock

import (
	"context"
	"errors"

	"golang.org/x/time/rate"
)

// Wait blocks on c until l lets one more call start. It reserves at c's time rather than the wall clock's, so a
// test clock moves the limiter too.
func Wait(ctx context.Context, c Clock, l *rate.Limiter) error {
	now := c.Now()
	r := l.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter admits no calls")
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := c.Sleep(ctx, d); err != nil {
		r.CancelAt(c.Now())
		return err
	}
	return nil
}
