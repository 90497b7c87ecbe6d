package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"dealbooks/app/accounts"
	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
	"dealbooks/integrations/pipedrive"
)

func TestDemoConnectsThroughTheFakesApprovalPages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	// A connection left by an earlier demo run, whose fakes are gone.
	if err := db.SetSetting(ctx, accounts.KeyQuickBooksCompany, "Gone Ltd"); err != nil {
		t.Fatal(err)
	}
	b := accountstest.Approving()
	demo, err := Start(ctx, accounts.Options{Secrets: secrets.NewFile(dir), Settings: db, OpenURL: b.Open}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	p := demo.Accounts

	state, err := p.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !state.Demo || state.QuickBooks.Connected || !state.HasClient[invoicing.Pipedrive] || !state.HasClient[invoicing.QuickBooks] {
		t.Errorf("demo state at start = %+v", state)
	}
	pdc, qbc := accountstest.ConnectBoth(t, p)
	if qbc.Account != demoCompany || pdc.Account == "" {
		t.Errorf("demo accounts = %q and %q", pdc.Account, qbc.Account)
	}
	for _, u := range b.Opened {
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Errorf("the browser went to %s, not to a fake on 127.0.0.1", u)
		}
	}

	client, err := p.Pipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deals, err := client.AllDeals(ctx, pipedrive.DealsQuery{Limit: pipedrive.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	currencies := map[string]bool{}
	for _, d := range deals {
		currencies[d.Currency] = true
	}
	if len(deals) < 300 || len(currencies) < 3 {
		t.Errorf("demo has %d deals in %d currencies, want at least 300 in 3", len(deals), len(currencies))
	}
	if len(demo.QuickBooks.Invoices()) == 0 || len(demo.QuickBooks.Customers()) == 0 {
		t.Error("the demo QuickBooks has no invoices or customers")
	}
}

func TestConnectedDemoNeedsNoBrowser(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	demo, err := StartConnected(ctx, accounts.Options{Secrets: secrets.NewFile(dir), Settings: db}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	state, err := demo.Accounts.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := state.Pair(); !ok || state.QuickBooks.Account != demoCompany {
		t.Errorf("state = %+v, want both demo accounts connected", state)
	}
}
