package e2e

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dealbooks/app/demo"
	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/ui"
)

// Disconnecting both accounts with "Keep them" leaves the deals and invoices readable in the window, marked
// with the companies they came from, until the rep deletes them in Settings.
func TestKeptCopiesStayReadableInTheWindowUntilDeleted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	opts := demotest.Options(dir, db)
	opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := demo.StartConnected(ctx, opts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	connected, err := d.Accounts.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := d.Accounts.Service(ctx) // the demo fills the invoice history as the service opens
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	deals, err := svc.Deals(ctx, invoicing.DealQuery{})
	if err != nil || len(deals.Deals) == 0 {
		t.Fatalf("%d deals cached (%v)", len(deals.Deals), err)
	}
	for _, p := range []invoicing.Provider{invoicing.QuickBooks, invoicing.Pipedrive} {
		if err := d.Accounts.Disconnect(ctx, p, true); err != nil {
			t.Fatal(err)
		}
	}

	kept, copies, ok, err := d.Accounts.KeptService(ctx)
	if err != nil || !ok {
		t.Fatalf("KeptService = %v, %v", ok, err)
	}
	a := test.NewTempApp(t)
	if err := ui.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ui.UseLanguage("en") })
	s := &stack{window: ui.NewMainWindow(a, ui.Deps{
		Language:   "en",
		Settings:   db,
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accounts:   d.Accounts,
		Background: func(work func()) { work() },
	})}
	s.window.Window().Resize(fyne.NewSize(1280, 800))
	s.window.UseKeptCopies(kept, copies)

	marker := "Offline copies of " + connected.Pipedrive.Account + " and " + connected.QuickBooks.Account + ", kept "
	found := false
	for _, text := range texts(content(s)) {
		found = found || strings.HasPrefix(text, marker)
	}
	if !found {
		t.Errorf("the window does not say whose copies these are (%q…): %v", marker, texts(content(s)))
	}

	dealsTab := openTab(t, content(s), "Deals")
	rowWith(t, list(t, dealsTab), deals.Deals[0].Title)

	invoicesTab := openTab(t, content(s), "Invoices")
	if shows(invoicesTab, "No invoices yet") {
		t.Fatal("the Invoices tab says there are no invoices; the kept ones are not shown")
	}
	history, err := kept.History(ctx, invoicing.HistoryQuery{})
	if err != nil || len(history.Items) == 0 {
		t.Fatalf("kept history has %d invoices (%v)", len(history.Items), err)
	}
	if n := len(rows(list(t, invoicesTab))); n == 0 {
		t.Error("the Invoices tab lists no invoice")
	}

	settings := openTab(t, content(s), "Settings")
	test.Tap(button(t, card(t, settings, "Offline copies"), "Delete kept copies"))
	test.Tap(dialogButton(t, s, "Yes"))
	state, err := d.Accounts.State(ctx)
	if err != nil || state.Kept != nil {
		t.Fatalf("after Delete kept copies: kept = %+v (%v), want none", state.Kept, err)
	}
	if left, err := kept.Deals(ctx, invoicing.DealQuery{}); err != nil || len(left.Deals) != 0 {
		t.Errorf("%d deals left after Delete kept copies (%v)", len(left.Deals), err)
	}
}
