package demo

import (
	"context"
	"testing"
	"time"

	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
)

// demoWithStore starts the demo over a real store whose pairs back the profile's Service.
func demoWithStore(t *testing.T) (*Demo, *store.Store) {
	t.Helper()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	opts := demotest.Options(dir, db)
	opts.OpenURL = accountstest.Approving().Open
	demo, err := Start(context.Background(), opts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Close() })
	return demo, db
}

// The invoicing service of the demo's connected pair creates an invoice in the demo QuickBooks.
func TestServiceOfTheConnectedPairCreatesAnInvoice(t *testing.T) {
	demo, _ := demoWithStore(t)
	ctx := context.Background()
	accountstest.ConnectBoth(t, demo.Accounts)
	svc, err := demo.Accounts.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := svc.Deals(ctx, invoicing.DealQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Deals) < 300 {
		t.Fatalf("%d deals cached, want the demo's 300", len(list.Deals))
	}
	var deal invoicing.Deal
	for _, d := range list.Deals {
		if d.Currency == "USD" && d.OrgID != 0 {
			deal = d
			break
		}
	}
	built, err := svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := len(demo.QuickBooks.Invoices())
	res, err := svc.CreateInvoice(ctx, built.Draft)
	if err != nil {
		t.Fatal(invoicing.Explain(err))
	}
	if res.Queued || res.Invoice.ID == "" || len(demo.QuickBooks.Invoices()) != before+1 {
		t.Errorf("created %+v; QuickBooks went from %d to %d invoices", res.Invoice, before, len(demo.QuickBooks.Invoices()))
	}
	h, err := svc.History(ctx, invoicing.HistoryQuery{DealID: deal.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Items) != 1 || h.Items[0].Invoice.ID != res.Invoice.ID {
		t.Errorf("the deal's history = %+v, want the new invoice", h.Items)
	}
}
