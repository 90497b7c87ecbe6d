package ui

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
	"dealbooks/internal/clock"
)

// newRefreshClock is the time the background refresh's timers wait on; a test moves it to fire them.
func newRefreshClock() *clock.Manual {
	return clock.NewManual(time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC))
}

func newAutoRefreshWindow(t *testing.T, svc *fakeInvoicing, settings map[string]string, after afterFunc) *MainWindow {
	t.Helper()
	return openAutoRefreshWindow(t, test.NewTempApp(t), svc, settings, after)
}

func openAutoRefreshWindow(t *testing.T, a fyne.App, svc *fakeInvoicing, settings map[string]string, after afterFunc) *MainWindow {
	t.Helper()
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	m := NewMainWindow(a, Deps{
		Language:    "en",
		Settings:    &memorySettings{values: settings},
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		Invoicing:   svc,
		AutoRefresh: true,
		AfterFunc:   after,
		Background:  func(work func()) { work() },
	})
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m
}

func TestBackgroundRefreshSendsQueuedInvoicesThenRepeats(t *testing.T) {
	svc := sampleService()
	clk := newRefreshClock()
	newAutoRefreshWindow(t, svc, map[string]string{}, clk.AfterFunc)

	if svc.resumed != 1 {
		t.Errorf("Resume ran %d times at start, want once", svc.resumed)
	}
	if len(clk.Timers()) != 1 || clk.Timers()[0] != 15*time.Minute {
		t.Fatalf("next refreshes scheduled after %v, want one after the default 15 minutes", clk.Timers())
	}
	clk.Advance(15 * time.Minute)
	if svc.resumed != 2 || len(clk.Timers()) != 2 {
		t.Errorf("after the interval: %d resumes, %d timers; want the pass repeated and the next one set", svc.resumed, len(clk.Timers()))
	}
}

func TestBackgroundRefreshNotifiesNewlyPaidInvoices(t *testing.T) {
	svc := sampleService()
	paid := openInvoice()
	paid.Status.State = invoicing.Paid
	svc.refreshed = invoicing.RefreshResult{Changed: 1, NewlyPaid: []invoicing.HistoryItem{paid}}
	clk := newRefreshClock()
	want := fyne.NewNotification("Invoices paid", "QuickBooks reports 1 invoice(s) paid, 1002 (Acme Ltd) among them.")
	a := test.NewTempApp(t)
	test.AssertNotificationSent(t, want, func() {
		openAutoRefreshWindow(t, a, svc, map[string]string{}, clk.AfterFunc)
	})
}

func TestBackgroundRefreshStaysQuietWhenNotificationsAreOff(t *testing.T) {
	svc := sampleService()
	svc.refreshed = invoicing.RefreshResult{Changed: 1, NewlyPaid: []invoicing.HistoryItem{openInvoice()}}
	a := test.NewTempApp(t)
	test.AssertNotificationSent(t, nil, func() {
		openAutoRefreshWindow(t, a, svc, map[string]string{settingNotify: "off"}, newRefreshClock().AfterFunc)
	})
}

func TestBackgroundRefreshOfflineShowsTheBannerAndRetriesSoon(t *testing.T) {
	svc := sampleService()
	svc.updatedAt = time.Date(2026, 3, 20, 9, 30, 0, 0, time.Local)
	svc.refresh = func(*fakeInvoicing) error { return invoicing.ErrOffline }
	clk := newRefreshClock()
	m := newAutoRefreshWindow(t, svc, map[string]string{settingRefreshMinutes: "30"}, clk.AfterFunc)

	if len(clk.Timers()) != 1 || clk.Timers()[0] != offlineRetry {
		t.Errorf("offline, the next refresh is set after %v, want %v", clk.Timers(), offlineRetry)
	}
	if m.invoices.list.banner.Hidden || m.invoices.list.banner.Text == "" {
		t.Error("no offline banner on the Invoices tab after a background refresh found no network")
	}

	svc.refresh = nil // the network is back
	clk.Advance(offlineRetry)
	if !m.invoices.list.banner.Hidden {
		t.Errorf("the offline banner %q stays after a refresh that reached QuickBooks", m.invoices.list.banner.Text)
	}
	if got := clk.Timers()[len(clk.Timers())-1]; got != 30*time.Minute {
		t.Errorf("back online, the next refresh is set after %v, want the chosen 30 minutes", got)
	}
}

func TestBackgroundRefreshOffInSettingsRunsOnceAtStart(t *testing.T) {
	svc := sampleService()
	clk := newRefreshClock()
	newAutoRefreshWindow(t, svc, map[string]string{settingRefreshMinutes: "0"}, clk.AfterFunc)
	if svc.resumed != 1 || len(clk.Timers()) != 0 {
		t.Errorf("with refreshing off: %d resumes, timers %v; want one pass at start and none after", svc.resumed, clk.Timers())
	}
}

func TestBackgroundRefreshStopsWhenTheServiceChanges(t *testing.T) {
	first := sampleService()
	clk := newRefreshClock()
	var pending func() // the old cycle's next pass, kept to fire it after it was stopped
	m := newAutoRefreshWindow(t, first, map[string]string{}, func(d time.Duration, f func()) func() bool {
		pending = f
		return clk.AfterFunc(d, f)
	})
	second := sampleService()
	late := pending
	m.UseService(second, nil)
	if second.resumed != 1 {
		t.Errorf("the new service was resumed %d times, want once at once", second.resumed)
	}
	if late != nil {
		late() // a timer of the old cycle firing late
	}
	if first.resumed != 1 {
		t.Errorf("the old service was refreshed again (%d resumes) after it was replaced", first.resumed)
	}
}

func TestRefreshSettingsAreSaved(t *testing.T) {
	settings := &memorySettings{values: map[string]string{}}
	a := test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	m := NewMainWindow(a, Deps{Language: "en", Settings: settings, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Background: func(work func()) { work() }})
	v := m.settings.refresh
	if v.interval.Selected != "Every 15 minutes" || !v.notify.Checked {
		t.Errorf("defaults shown: %q, notify %v", v.interval.Selected, v.notify.Checked)
	}
	v.interval.SetSelected("Every 60 minutes")
	test.Tap(v.notify)
	if settings.get(settingRefreshMinutes) != "60" || settings.get(settingNotify) != "off" {
		t.Errorf("saved %q minutes, notify %q", settings.get(settingRefreshMinutes), settings.get(settingNotify))
	}
}

// newListingWindow is a window with the background refresh on a manual clock, its timers and its time, and
// counts the deal listings that reach the service.
func newListingWindow(t *testing.T, settings map[string]string) (*MainWindow, *clock.Manual, *int, *fakeInvoicing) {
	t.Helper()
	svc := sampleService()
	listings := 0
	svc.fetchingDeals = func(context.Context) error { listings++; return nil }
	clk := newRefreshClock()
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	m := NewMainWindow(test.NewTempApp(t), Deps{
		Language:    "en",
		Settings:    &memorySettings{values: settings},
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		Invoicing:   svc,
		AutoRefresh: true,
		AfterFunc:   clk.AfterFunc,
		Now:         clk.Now,
		Background:  func(work func()) { work() },
	})
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m, clk, &listings, svc
}

func TestBackgroundRefreshListsTheDealsOnceAnHour(t *testing.T) {
	_, clk, listings, svc := newListingWindow(t, map[string]string{})
	if *listings != 1 {
		t.Fatalf("the first pass listed the deals %d times, want once", *listings)
	}
	for range 3 { // 10:15, 10:30, 10:45
		clk.Advance(15 * time.Minute)
	}
	if svc.resumed != 4 || *listings != 1 {
		t.Errorf("4 passes within the hour: %d passes, the deals listed %d times; want 4 passes and 1 listing", svc.resumed, *listings)
	}
	clk.Advance(15 * time.Minute) // 11:00, an hour after the first listing
	if svc.resumed != 5 || *listings != 2 {
		t.Errorf("the pass an hour on: %d passes, the deals listed %d times; want 5 and 2", svc.resumed, *listings)
	}
}

func TestGetNewDealsListsAtOnceAndTheHourStartsAgain(t *testing.T) {
	m, clk, listings, _ := newListingWindow(t, map[string]string{})
	clk.Advance(30 * time.Minute) // 10:15 and 10:30 list nothing
	press(m, keyRefresh)
	if *listings != 2 {
		t.Fatalf("Ctrl+R at 10:30: the deals listed %d times in all, want 2 (at start and at once)", *listings)
	}
	clk.Advance(30 * time.Minute) // 10:45, 11:00: within the hour of the Ctrl+R
	if *listings != 2 {
		t.Errorf("the passes up to 11:00 listed the deals again (%d listings): Get new deals at 10:30 had", *listings)
	}
	clk.Advance(30 * time.Minute) // 11:15, 11:30
	if *listings != 3 {
		t.Errorf("by 11:30, an hour after Get new deals, %d listings, want 3", *listings)
	}
}

func TestBackgroundRefreshOfflineListsTheDealsWhenTheNetworkReturns(t *testing.T) {
	_, clk, listings, svc := newListingWindow(t, map[string]string{})
	clk.Advance(time.Hour) // 11:00 lists the deals
	svc.fetchingDeals = func(context.Context) error { return invoicing.ErrOffline }
	clk.Advance(time.Hour) // 12:00 finds no network
	n := *listings
	svc.fetchingDeals = func(context.Context) error { *listings++; return nil }
	clk.Advance(offlineRetry) // the retry a minute later
	if *listings != n+1 {
		t.Errorf("the pass after the network returned listed the deals %d times, want once: the listing at 12:00 failed", *listings-n)
	}
}

func TestRefreshSettingsSayHowOftenDealsAreFetched(t *testing.T) {
	for _, tc := range []struct{ language, want string }{
		{"en", "New deals are fetched at start, at most every 60 minutes while refreshing, and whenever you choose Get new deals (" + shortcutText(keyRefresh) + ")."},
		{"nl", "Nieuwe deals worden opgehaald bij het starten, tijdens het bijwerken hooguit elke 60 minuten, en telkens als je Nieuwe deals ophalen kiest (" + shortcutText(keyRefresh) + ")."},
	} {
		t.Run(tc.language, func(t *testing.T) {
			a := test.NewTempApp(t)
			if err := LoadTranslations(); err != nil {
				t.Fatal(err)
			}
			m := NewMainWindow(a, Deps{Language: tc.language, Settings: &memorySettings{values: map[string]string{}},
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Background: func(work func()) { work() }})
			t.Cleanup(func() { _ = UseLanguage("en") })
			if got := m.settings.refresh.deals; got.Hidden || got.Text != tc.want {
				t.Errorf("the refresh settings say %q (hidden %v), want %q", got.Text, got.Hidden, tc.want)
			}
		})
	}
}
