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
	// dealListingEvery is how often the background pass lists the deals changed in Pipedrive: each listing
	// costs 10 of Pipedrive's daily tokens even when nothing changed, and the invoices' refresh costs none.
	dealListingEvery = time.Hour
)

// refreshChoices are the intervals Settings offers, in minutes; 0 is "never".
var refreshChoices = []int{0, 5, 15, 30, 60}

// autoRefresh keeps the invoices current while the window is open: once when the invoicing service opens,
// then every few minutes (Settings), and every minute while offline. Each pass sends the invoices queued
// offline, brings the invoice cache up to date, and announces invoices newly paid or overdue with a desktop
// notification (Settings). The deal cache it brings up to date at the first pass and then once
// dealListingEvery has passed since the deals were last listed, by a pass or by Get new deals and Reload all
// deals (listedDeals). A new service (accounts changed) or the window closing stops it.
type autoRefresh struct {
	m      *MainWindow
	svc    Invoicing
	ctx    context.Context // the cycle: ends when it is stopped or the window closes
	cancel context.CancelFunc
	timer  afterFunc
	now    func() time.Time
	stop   func() bool // stops the timer of the next pass; touched on the UI goroutine only
	// dealsListedAt is when the last listing of the deals that succeeded began; zero before the first.
	// Touched on the UI goroutine only.
	dealsListedAt time.Time
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
	a := &autoRefresh{m: m, svc: m.deps.Invoicing, ctx: ctx, cancel: cancel, timer: timer, now: m.now,
		stop: func() bool { return false }}
	m.auto = a
	a.pass()
}

// passResult is what one pass found.
type passResult struct {
	settings refreshSettings
	refresh  invoicing.RefreshResult
	listed   bool // the deals were listed
}

// pass runs one refresh off the UI goroutine, shows what it found and schedules the next one. It runs on the
// UI goroutine (the timer's passes through fyne.Do).
func (a *autoRefresh) pass() {
	started := a.now()
	deals := a.dealsDue(started)
	refresh := func(ctx context.Context) (passResult, error) { return a.refresh(ctx, deals) }
	callIn(a.m.bg, a.ctx, networkCall, refresh, func(r passResult, err error) { a.refreshed(started, r, err) })
}

// dealsDue reports whether a pass starting at now lists the deals: the first pass does, later ones once
// dealListingEvery has passed since the last listing. Wall-clock time counts (Round(0) drops the monotonic
// reading), so a computer waking from sleep lists them at once.
func (a *autoRefresh) dealsDue(now time.Time) bool {
	return a.dealsListedAt.IsZero() || now.Round(0).Sub(a.dealsListedAt.Round(0)) >= dealListingEvery
}

// listedDeals notes a listing of the deals begun at when that succeeded, so the background pass waits
// dealListingEvery from then. Called on the UI goroutine.
func (a *autoRefresh) listedDeals(at time.Time) {
	if at.After(a.dealsListedAt) {
		a.dealsListedAt = at
	}
}

// refresh runs off the UI goroutine: the queued invoices go out, then the caches are brought up to date, the
// deal cache only when deals says so.
func (a *autoRefresh) refresh(ctx context.Context, deals bool) (passResult, error) {
	if a.ctx.Err() != nil {
		return passResult{}, a.ctx.Err() // a timer that fired as the cycle was being stopped
	}
	r := passResult{settings: readRefreshSettings(ctx, a.m.deps.Settings)}
	_, err := a.svc.Resume(ctx)
	if err == nil {
		r.refresh, err = a.svc.Refresh(ctx)
	}
	if err == nil && deals {
		if _, err = a.svc.RefreshDeals(ctx); err == nil {
			r.listed = true
		}
	}
	if err != nil && a.ctx.Err() == nil && !errors.Is(err, invoicing.ErrOffline) {
		a.m.deps.Log.Warn("background refresh", "err", err)
	}
	return r, err
}

// refreshed shows what a pass begun at started found and sets the timer of the next one.
func (a *autoRefresh) refreshed(started time.Time, r passResult, err error) {
	if a.m.auto != a || a.ctx.Err() != nil {
		return // stopped meanwhile: a newer service or the window closing owns the screens now
	}
	if r.listed {
		a.listedDeals(started)
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
		a.stop = a.timer(next, func() { fyne.Do(a.pass) })
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

// now is the time by Deps.Now, or time.Now.
func (m *MainWindow) now() time.Time {
	if m.deps.Now != nil {
		return m.deps.Now()
	}
	return time.Now()
}

// listedDeals tells the background refresh of svc that the rep's Get new deals or Reload all deals, begun at,
// listed the deals, so its next listing waits dealListingEvery from then.
func (m *MainWindow) listedDeals(svc Invoicing, at time.Time) {
	if m.auto != nil && m.auto.svc == svc {
		m.auto.listedDeals(at)
	}
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
