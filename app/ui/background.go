package ui

import (
	"context"
	"maps"
	"time"

	"fyne.io/fyne/v2"
)

// callKind says what a background call waits on, and so how long it may take.
type callKind int

const (
	// localCall reads or writes the database or the keychain on this computer.
	localCall callKind = iota
	// accountsCall goes to Pipedrive or QuickBooks about the accounts (a revoke, the preferences' choices)
	// with no browser to wait on.
	accountsCall
	// networkCall may go to Pipedrive or QuickBooks for deals and invoices.
	networkCall
	// signInCall waits on the rep in the browser: it has no limit here (app/accounts gives up on a browser
	// that does not come back), and the progress dialog's Cancel ends it.
	signInCall
	// dialogCall waits on the rep in a dialog of the system, such as where to save a file: no limit either; the
	// window closing ends it.
	dialogCall
)

// callLimits is how long each kind of call may take. The rep can cancel the long ones sooner.
var callLimits = map[callKind]time.Duration{
	localCall:    10 * time.Second, // the database is local, so anything longer means trouble
	accountsCall: time.Minute,
	networkCall:  2 * time.Minute,
	signInCall:   0, // no limit
	dialogCall:   0, // no limit
}

// background is the window's one way to run work off the UI goroutine: it owns the goroutine, a context
// that ends when the window closes, the time limit of each kind of call, and the hand-back to the widgets
// through fyne.Do.
type background struct {
	ctx    context.Context // ends when the window closes
	stop   context.CancelFunc
	spawn  func(work func()) // Deps.Background, or a new goroutine
	limits map[callKind]time.Duration
	clock  afterFunc // starts the timers of after: time.AfterFunc, or a manual clock in tests
}

// newBackground starts the window's background; spawn runs work off the UI goroutine (nil: a new goroutine).
func newBackground(spawn func(work func())) *background {
	if spawn == nil {
		spawn = func(work func()) { go work() }
	}
	ctx, stop := context.WithCancel(context.Background())
	return &background{ctx: ctx, stop: stop, spawn: spawn, limits: maps.Clone(callLimits), clock: realAfter}
}

// close ends every call still running and drops their results: the window is gone.
func (b *background) close() { b.stop() }

// closed reports whether the window has closed.
func (b *background) closed() bool { return b.ctx.Err() != nil }

// scope returns a context that ends when the window closes or when cancel is called, for work something
// can stop sooner: a progress dialog's Cancel button, or a newer service stopping the background refresh.
// The caller calls cancel once the work is done.
func (b *background) scope() (ctx context.Context, cancel context.CancelFunc) {
	return context.WithCancel(b.ctx)
}

// limit returns a context that ends with parent or when kind's time is up.
func (b *background) limit(parent context.Context, kind callKind) (context.Context, context.CancelFunc) {
	if d := b.limits[kind]; d > 0 {
		return context.WithTimeout(parent, d)
	}
	return context.WithCancel(parent)
}

// call runs work off the UI goroutine, within kind's time limit and the window's life, then hands its result
// to done on the UI goroutine. A window closed meanwhile gets nothing. done may be nil.
func call[T any](b *background, kind callKind, work func(context.Context) (T, error), done func(T, error)) {
	callIn(b, b.ctx, kind, work, done)
}

// callIn is call under scope, a context from b.scope that can end sooner than the window. done still gets
// the result of work that scope ended, so the screen can put its Cancel button away.
func callIn[T any](b *background, scope context.Context, kind callKind, work func(context.Context) (T, error), done func(T, error)) {
	if b.closed() {
		return // the window is gone: nothing to do the work for
	}
	ctx, cancel := b.limit(scope, kind)
	b.spawn(func() {
		defer cancel()
		v, err := work(ctx)
		if done == nil || b.closed() {
			return
		}
		fyne.Do(func() {
			if !b.closed() {
				done(v, err)
			}
		})
	})
}

// do is call for work that has no result but its error.
func (b *background) do(kind callKind, work func(context.Context) error, done func(error)) {
	var then func(struct{}, error)
	if done != nil {
		then = func(_ struct{}, err error) { done(err) }
	}
	call(b, kind, func(ctx context.Context) (struct{}, error) { return struct{}{}, work(ctx) }, then)
}

// orProblem returns a done that tells the rep about a failure with showProblem (logged as what) and hands a
// result to ok.
func orProblem[T any](m *MainWindow, what string, ok func(T)) func(T, error) {
	return func(v T, err error) {
		if err != nil {
			m.showProblem(what, err)
			return
		}
		ok(v)
	}
}

// after runs f on the UI goroutine once d has passed, unless stop was called first or the window has closed.
// The timer fires on a goroutine of its own; stop, called on the UI goroutine, holds f back even when the
// timer has already fired and f waits for the UI goroutine.
func (b *background) after(d time.Duration, f func()) (stop func()) {
	stopped := false // read and written on the UI goroutine only
	stopTimer := b.clock(d, func() {
		fyne.Do(func() {
			if !stopped && !b.closed() {
				f()
			}
		})
	})
	return func() {
		stopped = true
		stopTimer()
	}
}
