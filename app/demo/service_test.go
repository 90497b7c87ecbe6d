package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dealbooks/app/accounts"
	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/adapters"
	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
)

// demoWithStore starts the demo over a real store whose pairs back the profile's Service.
func demoWithStore(t *testing.T) (*Demo, *store.Store) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := accountstest.Approving()
	demo, err := Start(ctx, accounts.Options{
		Secrets: secrets.NewFile(dir), Settings: db, OpenURL: b.Open,
		Repository: func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error) {
			return db.Repository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		Files: adapters.NewFolder(filepath.Join(dir, "pdf")),
	}, time.Now())
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
	if _, err := demo.Accounts.ConnectPipedrive(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Accounts.ConnectQuickBooks(ctx, false); err != nil {
		t.Fatal(err)
	}
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
