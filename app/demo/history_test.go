package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// connectedDemo starts the connected demo over the store in dir, as the command line does, and opens
// its invoicing service.
func connectedDemo(t *testing.T, dir string, db *store.Store, now time.Time) (*Demo, *invoicing.Service) {
	t.Helper()
	ctx := context.Background()
	demo, err := StartConnected(ctx, demotest.Options(dir, db), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Close() })
	svc, err := demo.Accounts.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return demo, svc
}

// statuses returns the history's statuses by invoice id, and fails on an invoice listed twice.
func statuses(t *testing.T, svc *invoicing.Service) map[string]invoicing.HistoryItem {
	t.Helper()
	h, err := svc.History(context.Background(), invoicing.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]invoicing.HistoryItem{}
	for _, it := range h.Items {
		if _, twice := items[it.Invoice.ID]; twice {
			t.Errorf("invoice %s is listed twice", it.Invoice.ID)
		}
		items[it.Invoice.ID] = it
	}
	return items
}

// The demo's Invoices tab shows invoices in every status at once, each in its deal's history, before
// the rep has created any.
func TestDemoHistoryShowsEveryStatus(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now()
	demo, svc := connectedDemo(t, dir, demotest.OpenStore(t, dir), now)

	want := []invoicing.Status{ // in the order of demoStories
		{State: invoicing.Open},
		{State: invoicing.Open, Sent: true},
		{State: invoicing.PartiallyPaid},
		{State: invoicing.Paid},
		{State: invoicing.Open, Overdue: true},
		{State: invoicing.Voided},
		{State: invoicing.Deleted},
		{State: invoicing.PartiallyPaid, Overdue: true},
	}
	if len(demo.Seeded) != len(want) {
		t.Fatalf("the demo seeded %d invoices for its deals, want %d", len(demo.Seeded), len(want))
	}
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Now: now})
	items := statuses(t, svc)
	if len(items) != len(want) {
		t.Errorf("the history lists %d invoices, want the %d seeded", len(items), len(want))
	}
	currencies := map[string]bool{}
	for i, s := range demo.Seeded {
		it, ok := items[s.InvoiceID]
		if !ok {
			t.Errorf("seeded invoice %s of deal %d is not in the history", s.InvoiceID, s.DealID)
			continue
		}
		if it.DealID != s.DealID || it.Status != want[i] {
			t.Errorf("invoice %s shows for deal %d as %v, want deal %d as %v", s.InvoiceID, it.DealID, it.Status, s.DealID, want[i])
		}
		deal := find(data.Deals, func(d pipedrivefake.Deal) bool { return d.ID == s.DealID })
		org := find(data.Organizations, func(o pipedrivefake.Organization) bool { return deal.OrgID != nil && o.ID == *deal.OrgID })
		if it.Status.State != invoicing.Deleted && (it.Invoice.Currency != deal.Currency || !strings.HasPrefix(it.Invoice.CustomerName, org.Name)) {
			t.Errorf("invoice %s is for %q in %s, want the organization %q in %s", s.InvoiceID, it.Invoice.CustomerName, it.Invoice.Currency, org.Name, deal.Currency)
		}
		currencies[deal.Currency] = true
		if deal.Status != "won" {
			t.Errorf("deal %d is %s, want a won deal", deal.ID, deal.Status)
		}
		deals, err := svc.History(ctx, invoicing.HistoryQuery{DealID: s.DealID})
		if err != nil || len(deals.Items) != 1 || deals.Items[0].Invoice.ID != s.InvoiceID {
			t.Errorf("deal %d's history = %+v (%v), want invoice %s", s.DealID, deals.Items, err, s.InvoiceID)
		}
	}
	if len(currencies) != 4 {
		t.Errorf("the seeded invoices are in %v, want USD, EUR, GBP and SEK", currencies)
	}

	// A refresh asks QuickBooks once, for its changes, and finds nothing new.
	demo.QuickBooks.ResetRequests()
	res, err := svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reqs := demo.QuickBooks.Requests()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/cdc") {
		t.Errorf("refresh made %d requests (%+v), want one change-data-capture request", len(reqs), reqs)
	}
	if res.Changed != 0 || len(res.NewlyPaid) != 0 || len(res.NewlyOverdue) != 0 {
		t.Errorf("refresh found %+v, want nothing changed", res)
	}
	for id, it := range statuses(t, svc) {
		if before := items[id]; it.Status != before.Status || it.DealID != before.DealID || it.Invoice.SyncToken != before.Invoice.SyncToken {
			t.Errorf("after the refresh invoice %s is %v of deal %d, was %v of deal %d", id, it.Status, it.DealID, before.Status, before.DealID)
		}
	}
}

// Drafts for the deals of the seeded history link the customer that history used, and a new invoice
// goes to it.
func TestDemoDraftUsesTheSeededCustomer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	demo, svc := connectedDemo(t, dir, demotest.OpenStore(t, dir), time.Now())
	items := statuses(t, svc)
	for _, s := range demo.Seeded {
		it := items[s.InvoiceID]
		if it.Status.State == invoicing.Deleted {
			continue // only the id of a deleted invoice is certain
		}
		built, err := svc.BuildDraft(ctx, s.DealID)
		if err != nil {
			t.Fatal(err)
		}
		if c := built.Draft.Customer; c.LinkedID != it.Invoice.CustomerID || c.LinkedCurrency != it.Invoice.Currency {
			t.Errorf("deal %d's draft links customer %q in %s, want %q (%s) in %s", s.DealID, c.LinkedID, c.LinkedCurrency,
				it.Invoice.CustomerID, it.Invoice.CustomerName, it.Invoice.Currency)
		}
	}

	customers := len(demo.QuickBooks.Customers())
	built, err := svc.BuildDraft(ctx, demo.Seeded[0].DealID)
	if err != nil {
		t.Fatal(err)
	}
	if !built.Invoiced.Any() {
		t.Errorf("deal %d's draft does not say the deal already has invoice %s", demo.Seeded[0].DealID, demo.Seeded[0].InvoiceID)
	}
	built.Draft.Another = true // the deal has its seeded invoice; this one is another
	res, err := svc.CreateInvoice(ctx, built.Draft)
	if err != nil {
		t.Fatal(invoicing.Explain(err))
	}
	if want := items[demo.Seeded[0].InvoiceID].Invoice.CustomerID; res.Invoice.CustomerID != want || len(demo.QuickBooks.Customers()) != customers {
		t.Errorf("the new invoice is for customer %q, want %q; QuickBooks went from %d to %d customers",
			res.Invoice.CustomerID, want, customers, len(demo.QuickBooks.Customers()))
	}
	if h, _ := svc.History(ctx, invoicing.HistoryQuery{DealID: demo.Seeded[0].DealID}); len(h.Items) != 2 {
		t.Errorf("deal %d's history lists %d invoices, want the seeded one and the new one", demo.Seeded[0].DealID, len(h.Items))
	}
}

// The demo's history is linked once per store: a second start over it, or a second Service, adds nothing.
func TestDemoHistoryIsLinkedOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	now := time.Now()
	first, svc := connectedDemo(t, dir, db, now)
	before := statuses(t, svc)
	if _, err := first.Accounts.Service(ctx); err != nil {
		t.Fatalf("a second Service in the same run: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := db.Setting(ctx, keyDemoHistory); err != nil || !ok {
		t.Fatalf("setting %s = %q, %v, %v; want it set", keyDemoHistory, v, ok, err)
	}

	second, svc := connectedDemo(t, dir, db, now)
	after := statuses(t, svc)
	if len(after) != len(before) || len(after) != len(second.Seeded) {
		t.Errorf("the history lists %d invoices after a second start, %d after the first, want %d", len(after), len(before), len(second.Seeded))
	}
	for id, it := range after {
		if was := before[id]; it.Status != was.Status || it.DealID != was.DealID {
			t.Errorf("invoice %s is %v of deal %d after a second start, was %v of deal %d", id, it.Status, it.DealID, was.Status, was.DealID)
		}
	}
	if _, ok := second.QuickBooks.Invoice(second.Seeded[6].InvoiceID); ok {
		t.Error("the invoice shown deleted is still in the second run's QuickBooks")
	}
}
