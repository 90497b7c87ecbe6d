// Package clock is the time everything waits on: the wall clock, and the manual clock tests move instead of sleeping.
package clock

import (
	"context"
	"time"
)

// Clock tells the time and waits. Tests inject one whose Sleep returns at once and moves time forward.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

// Now returns the current time.
func (Real) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (Real) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
