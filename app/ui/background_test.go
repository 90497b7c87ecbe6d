package ui

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

func TestEachKindOfCallHasItsTimeLimit(t *testing.T) {
	cases := []struct {
		name  string
		kind  callKind
		limit time.Duration // 0: none, the rep cancels
	}{
		{"settings and the database", localCall, 10 * time.Second},
		{"accounts without a browser", accountsCall, time.Minute},
		{"deals and invoices", networkCall, 2 * time.Minute},
		{"browser sign-in", signInCall, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackground(func(work func()) { work() })
			var deadline time.Time
			var bounded bool
			before := time.Now()
			b.do(tc.kind, func(ctx context.Context) error {
				deadline, bounded = ctx.Deadline()
				return nil
			}, nil)
			after := time.Now()
			switch {
			case tc.limit == 0 && bounded:
				t.Errorf("the call must end by %v; want no limit", deadline)
			case tc.limit > 0 && !bounded:
				t.Errorf("the call has no time limit; want %v", tc.limit)
			case tc.limit > 0 && (deadline.Before(before.Add(tc.limit)) || deadline.After(after.Add(tc.limit))):
				t.Errorf("the call must end %v after it started; want %v", deadline.Sub(before), tc.limit)
			}
		})
	}
}

// slowHistory is a service whose invoice history, once slow is set, answers only when its context ends.
type slowHistory struct {
	*fakeInvoicing
	slow bool
}

func (s *slowHistory) History(ctx context.Context, q invoicing.HistoryQuery) (invoicing.History, error) {
	if s.slow {
		<-ctx.Done()
		return invoicing.History{}, fmt.Errorf("read history: %w", ctx.Err())
	}
	return s.fakeInvoicing.History(ctx, q)
}

func TestACallThatRunsOutOfTimeIsExplainedToTheRep(t *testing.T) {
	svc := &slowHistory{fakeInvoicing: sampleService()}
	m := newDepsWindow(t, Deps{Settings: &memorySettings{values: map[string]string{}}, Invoicing: svc})
	m.tabs.SelectIndex(tabInvoices)
	svc.slow = true
	m.bg.limits[localCall] = time.Millisecond // the database hangs

	m.invoices.list.reload()

	if want := "Pipedrive or QuickBooks cannot be reached. Check the network and try again."; !overlayShows(m, want) {
		t.Errorf("no dialog says %q after the history read ran out of time", want)
	}
}

func TestAFailedCallReachesTheDialogAndASuccessfulOneTheWidget(t *testing.T) {
	m := newTestWindow(t, &memorySettings{values: map[string]string{}}, "en")
	shown := widget.NewLabel("")
	show := orProblem(m, "read the deal", shown.SetText)

	call(m.bg, networkCall, func(context.Context) (string, error) { return "Acme renewal", nil }, show)
	if shown.Text != "Acme renewal" {
		t.Errorf("label = %q after the call succeeded", shown.Text)
	}
	if m.window.Canvas().Overlays().Top() != nil {
		t.Error("a dialog opened for a call that succeeded")
	}

	call(m.bg, networkCall, func(context.Context) (string, error) { return "", fmt.Errorf("deal 7: %w", invoicing.ErrNotFound) }, show)
	if want := "It no longer exists. Refresh to see the latest state."; !overlayShows(m, want) {
		t.Errorf("no dialog says %q after the call failed", want)
	}
	if shown.Text != "Acme renewal" {
		t.Errorf("a failed call changed the label to %q", shown.Text)
	}
}

func TestAResultComesBackFromAnotherGoroutineThroughFyneDo(t *testing.T) {
	test.NewTempApp(t)
	b := newBackground(nil) // a goroutine per call, as in the app
	t.Cleanup(b.close)
	shown := widget.NewLabel("")
	done := make(chan struct{})
	call(b, localCall, func(context.Context) (string, error) { return "Pipedrive: Acme Sales", nil }, func(v string, err error) {
		shown.SetText(v)
		close(done)
	})
	<-done
	if shown.Text != "Pipedrive: Acme Sales" {
		t.Errorf("label = %q", shown.Text)
	}
}

func TestClosingTheWindowEndsTheCallsAndDropsTheirResults(t *testing.T) {
	test.NewTempApp(t)
	started := make(chan struct{})
	ended := make(chan struct{})
	b := newBackground(func(work func()) {
		go func() {
			defer close(ended)
			work()
		}()
	})
	var workErr error
	handed := false
	call(b, networkCall, func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done() // as a slow network call would, until the window closes
		workErr = ctx.Err()
		return 0, workErr
	}, func(int, error) { handed = true })
	<-started

	b.close()
	<-ended

	if !errors.Is(workErr, context.Canceled) {
		t.Errorf("the call ended with %v, want it cancelled", workErr)
	}
	if handed {
		t.Error("the result of a call was handed to the closed window")
	}
	ran := false
	call(b, localCall, func(context.Context) (int, error) { ran = true; return 0, nil }, nil)
	if ran {
		t.Error("a call started after the window closed ran")
	}
}

func TestClosingTheWindowStopsGettingNewDeals(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	p := m.deals.picker
	var fetchErr error
	svc.fetchingDeals = func(ctx context.Context) error {
		m.onClose() // the rep closes the window while Pipedrive is slow
		fetchErr = ctx.Err()
		return fetchErr
	}

	test.Tap(p.refresh)

	if !errors.Is(fetchErr, context.Canceled) {
		t.Errorf("getting new deals went on with the window closed: its context says %v", fetchErr)
	}
	if m.window.Canvas().Overlays().Top() != nil {
		t.Error("a dialog opened over the closed window")
	}
}
