package ui

import (
	"context"
	"errors"
	"strconv"
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
	ctx    context.Context // the cycle: ends when it is stopped or the window closes
	cancel context.CancelFunc
	timer  afterFunc
	stop   func() bool // stops the timer of the next pass; touched on the UI goroutine only
}

// startAutoRefresh runs the first pass over the current service now, stopping any earlier cycle.
func (m *MainWindow) startAutoRefresh() {
	if m.auto != nil {
		m.auto.cancel()
		m.auto.stop()
	}
	m.auto = nil
	if !m.deps.AutoRefresh || m.deps.Invoicing == nil {
		return
	}
	timer := afterFunc(realAfter)
	if m.deps.AfterFunc != nil {
		timer = m.deps.AfterFunc
	}
	ctx, cancel := m.bg.scope()
	a := &autoRefresh{m: m, svc: m.deps.Invoicing, ctx: ctx, cancel: cancel, timer: timer, stop: func() bool { return false }}
	m.auto = a
	a.pass()
}

// passResult is what one pass found.
type passResult struct {
	settings refreshSettings
	refresh  invoicing.RefreshResult
}

// pass runs one refresh off the UI goroutine, shows what it found and schedules the next one.
func (a *autoRefresh) pass() {
	callIn(a.m.bg, a.ctx, networkCall, a.refresh, a.refreshed)
}

// refresh runs off the UI goroutine: the queued invoices go out, then the caches are brought up to date.
func (a *autoRefresh) refresh(ctx context.Context) (passResult, error) {
	if a.ctx.Err() != nil {
		return passResult{}, a.ctx.Err() // a timer that fired as the cycle was being stopped
	}
	r := passResult{settings: readRefreshSettings(ctx, a.m.deps.Settings)}
	_, err := a.svc.Resume(ctx)
	if err == nil {
		r.refresh, err = a.svc.Refresh(ctx)
	}
	if err == nil {
		_, err = a.svc.RefreshDeals(ctx)
	}
	if err != nil && a.ctx.Err() == nil && !errors.Is(err, invoicing.ErrOffline) {
		a.m.deps.Log.Warn("background refresh", "err", err)
	}
	return r, err
}

// refreshed shows what a pass found and sets the timer of the next one.
func (a *autoRefresh) refreshed(r passResult, err error) {
	if a.m.auto != a || a.ctx.Err() != nil {
		return // stopped meanwhile: a newer service or the window closing owns the screens now
	}
	offline := errors.Is(err, invoicing.ErrOffline)
	a.m.backgroundRefreshed(offline)
	if r.settings.notify {
		a.notify(r.refresh)
	}
	next := time.Duration(r.settings.minutes) * time.Minute
	if offline {
		next = offlineRetry
	}
	if next > 0 {
		a.stop = a.timer(next, a.pass)
	}
}

type refreshSettings struct {
	minutes int
	notify  bool
}

// readRefreshSettings reads the interval and the notification choice, falling back to the defaults.
func readRefreshSettings(ctx context.Context, store SettingsStore) refreshSettings {
	s := refreshSettings{minutes: defaultRefreshMinutes, notify: true}
	if v, ok, err := store.Setting(ctx, settingRefreshMinutes); err == nil && ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			s.minutes = n
		}
	}
	if v, ok, err := store.Setting(ctx, settingNotify); err == nil && ok {
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
	m.countQueued() // the pass may have sent queued invoices
}
