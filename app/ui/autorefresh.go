package ui

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"dealbooks/app/invoicing"
)

// Settings of the background refresh.
const (
	settingRefreshMinutes = "refresh.minutes" // minutes between refreshes; "0" turns them off
	settingNotify         = "refresh.notify"  // "off" silences the notifications of paid and overdue invoices
)

const (
	defaultRefreshMinutes = 15
	// offlineRetry is how soon a refresh that found no network is tried again, so queued invoices go out
	// soon after the network returns.
	offlineRetry = time.Minute
)

// refreshChoices are the intervals Settings offers, in minutes; 0 is "never".
var refreshChoices = []int{0, 5, 15, 30, 60}

// autoRefresh keeps the invoices current while the window is open: once when the invoicing service opens,
// then every few minutes (Settings), and every minute while offline. Each pass sends the invoices queued
// offline, brings the deal and invoice caches up to date, and announces invoices newly paid or overdue with
// a desktop notification (Settings). A new service (accounts changed) or the window closing stops it.
type autoRefresh struct {
	m      *MainWindow
	svc    Invoicing
	ctx    context.Context
	cancel context.CancelFunc
	timer  afterFunc

	mu   sync.Mutex
	stop func() bool // stops the timer of the next pass
}

// startAutoRefresh runs the first pass over the current service now, stopping any earlier cycle.
func (m *MainWindow) startAutoRefresh() {
	if m.auto != nil {
		m.auto.cancel()
		m.auto.mu.Lock()
		m.auto.stop()
		m.auto.mu.Unlock()
	}
	m.auto = nil
	if !m.deps.AutoRefresh || m.deps.Invoicing == nil {
		return
	}
	timer := afterFunc(realAfter)
	if m.deps.AfterFunc != nil {
		timer = m.deps.AfterFunc
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &autoRefresh{m: m, svc: m.deps.Invoicing, ctx: ctx, cancel: cancel, timer: timer, stop: func() bool { return false }}
	m.auto = a
	m.inBackground(a.pass)
}

// pass runs off the UI goroutine: one refresh, then the next one scheduled.
func (a *autoRefresh) pass() {
	if a.ctx.Err() != nil {
		return // a timer that fired as the cycle was being stopped
	}
	ctx, cancel := context.WithTimeout(a.ctx, networkTimeout)
	defer cancel()
	settings := a.settings(ctx)
	_, err := a.svc.Resume(ctx)
	var res invoicing.RefreshResult
	if err == nil {
		res, err = a.svc.Refresh(ctx)
	}
	if err == nil {
		_, err = a.svc.RefreshDeals(ctx)
	}
	if a.ctx.Err() != nil {
		return // stopped meanwhile: a newer service or the window closing owns the screens now
	}
	offline := errors.Is(err, invoicing.ErrOffline)
	if err != nil && !offline {
		a.m.deps.Log.Warn("background refresh", "err", err)
	}
	fyne.Do(func() {
		if a.m.auto != a {
			return
		}
		a.m.backgroundRefreshed(offline)
		if settings.notify {
			a.notify(res)
		}
	})
	next := time.Duration(settings.minutes) * time.Minute
	if offline {
		next = offlineRetry
	}
	if next > 0 {
		a.mu.Lock()
		a.stop = a.timer(next, func() { a.m.inBackground(a.pass) })
		a.mu.Unlock()
	}
}

type refreshSettings struct {
	minutes int
	notify  bool
}

// settings reads the interval and the notification choice, falling back to the defaults.
func (a *autoRefresh) settings(ctx context.Context) refreshSettings {
	s := refreshSettings{minutes: defaultRefreshMinutes, notify: true}
	if v, ok, err := a.m.deps.Settings.Setting(ctx, settingRefreshMinutes); err == nil && ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			s.minutes = n
		}
	}
	if v, ok, err := a.m.deps.Settings.Setting(ctx, settingNotify); err == nil && ok {
		s.notify = v != "off"
	}
	return s
}

// notify announces the invoices a refresh found newly paid or overdue, one notification for each kind.
func (a *autoRefresh) notify(res invoicing.RefreshResult) {
	if n := len(res.NewlyPaid); n > 0 {
		a.m.app.SendNotification(fyne.NewNotification(
			lang.X("notify.paid.title", "Invoices paid"),
			lang.X("notify.paid.body", "QuickBooks reports {{.Count}} invoice(s) paid, {{.First}} among them.",
				map[string]any{"Count": n, "First": invoiceName(res.NewlyPaid[0])})))
	}
	if n := len(res.NewlyOverdue); n > 0 {
		a.m.app.SendNotification(fyne.NewNotification(
			lang.X("notify.overdue.title", "Invoices overdue"),
			lang.X("notify.overdue.body", "{{.Count}} invoice(s) passed their due date unpaid, {{.First}} among them.",
				map[string]any{"Count": n, "First": invoiceName(res.NewlyOverdue[0])})))
	}
}

// invoiceName is "1042 (Acme Ltd)", or the customer alone for an invoice QuickBooks has not numbered.
func invoiceName(it invoicing.HistoryItem) string {
	if it.Invoice.DocNumber == "" {
		return it.Invoice.CustomerName
	}
	return it.Invoice.DocNumber + " (" + it.Invoice.CustomerName + ")"
}

// backgroundRefreshed shows what a background pass found: the lists read again, and the offline banner.
func (m *MainWindow) backgroundRefreshed(offline bool) {
	if m.invoices != nil {
		m.invoices.list.setOffline(offline)
		m.invoices.list.reload()
	}
	if m.deals != nil {
		m.deals.backgroundRefreshed(offline)
	}
}
