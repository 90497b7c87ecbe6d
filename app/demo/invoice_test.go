package demo

import (
	"context"
	"testing"
	"time"

	"dealbooks/app/accounts"
	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/adapters"
	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// In the demo, an organization with deals in USD and in EUR gets an invoice for each: the USD one for
// the customer of its name, the EUR one for a customer "Name (EUR)" created for it, as QuickBooks fixes
// a customer's currency. Drafts made afterwards find those two customers again.
func TestDemoInvoicesAnOrganizationInTwoCurrencies(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	demo, svc := demoService(t, now)

	org, usd, eur := orgWithDealsIn(t, pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Now: now}))
	created := map[string]invoicing.CreateResult{}
	for _, deal := range []pipedrivefake.Deal{usd, eur} {
		built, err := svc.BuildDraft(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := built.Draft
		if deal.Currency == "EUR" && d.Customer.To != org.Name+" (EUR)" {
			t.Errorf("EUR draft is for %q, want %q", d.Customer.To, org.Name+" (EUR)")
		}
		res, err := svc.CreateInvoice(ctx, d)
		if err != nil {
			t.Fatalf("%s deal %d: %v", deal.Currency, deal.ID, err)
		}
		if res.Entry.State != invoicing.OutboxDone {
			t.Fatalf("%s deal %d: outbox entry %+v", deal.Currency, deal.ID, res.Entry)
		}
		created[deal.Currency] = res
	}

	customers := map[string]qbofake.Customer{} // by currency
	for _, c := range demo.QuickBooks.Customers() {
		if c.DisplayName == org.Name || c.DisplayName == org.Name+" (EUR)" {
			if _, twice := customers[c.CurrencyRef.Value]; twice {
				t.Errorf("a second %s customer for %s: %q", c.CurrencyRef.Value, org.Name, c.DisplayName)
			}
			customers[c.CurrencyRef.Value] = c
		}
	}
	if len(customers) != 2 || customers["USD"].DisplayName != org.Name || customers["EUR"].DisplayName != org.Name+" (EUR)" {
		t.Fatalf("customers of %s = %+v, want %q in USD and %q in EUR", org.Name, customers, org.Name, org.Name+" (EUR)")
	}
	for cur, res := range created {
		inv, ok := demo.QuickBooks.Invoice(res.Invoice.ID)
		if !ok {
			t.Fatalf("the %s invoice %s is not in QuickBooks", cur, res.Invoice.ID)
		}
		if inv.CurrencyRef.Value != cur || inv.CustomerRef.Value != customers[cur].ID {
			t.Errorf("%s invoice is in %s for customer %s, want customer %s", cur, inv.CurrencyRef.Value, inv.CustomerRef.Value, customers[cur].ID)
		}
		if (cur == "EUR") != (inv.ExchangeRate != nil) {
			t.Errorf("%s invoice has exchange rate %v", cur, inv.ExchangeRate)
		}
		if !res.Invoice.Total.Equal(inv.TotalAmt.Decimal) {
			t.Errorf("%s invoice total %s, QuickBooks holds %s", cur, res.Invoice.Total, inv.TotalAmt)
		}
	}

	// New drafts of both deals are linked to the customers just made: no third customer.
	for _, deal := range []pipedrivefake.Deal{usd, eur} {
		built, err := svc.BuildDraft(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := customers[deal.Currency].ID; built.Draft.Customer.LinkedID != want {
			t.Errorf("new %s draft links customer %q, want %q", deal.Currency, built.Draft.Customer.LinkedID, want)
		}
	}
}

// demoService starts the demo, connects its accounts through their approval pages and returns the
// Service over them, with its data in a new database.
func demoService(t *testing.T, now time.Time) (*Demo, *invoicing.Service) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	demo, err := Start(ctx, accounts.Options{Secrets: secrets.NewFile(dir), Settings: db, OpenURL: accountstest.Approving().Open}, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Close() })
	p := demo.Accounts
	pdc, qbc := accountstest.ConnectBoth(t, p)
	pdClient, err := p.Pipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qbClient, err := p.QuickBooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := db.Repository(ctx, pdc.AccountID, qbc.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = demo.QuickBooks.DefaultItemID()
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	return demo, invoicing.NewService(invoicing.Config{
		CRM:        adapters.NewPipedrive(pdClient, adapters.Options{}),
		Accounting: adapters.NewQuickBooks(qbClient, adapters.Options{Sandbox: true}),
		Repository: repo,
	})
}

// orgWithDealsIn finds an organization with an open deal in USD and one in EUR.
func orgWithDealsIn(t *testing.T, data pipedrivefake.Dataset) (pipedrivefake.Organization, pipedrivefake.Deal, pipedrivefake.Deal) {
	t.Helper()
	deals := map[int64]map[string]pipedrivefake.Deal{}
	for _, d := range data.Deals {
		if d.OrgID == nil || d.IsDeleted || d.Status != "open" {
			continue
		}
		if deals[*d.OrgID] == nil {
			deals[*d.OrgID] = map[string]pipedrivefake.Deal{}
		}
		deals[*d.OrgID][d.Currency] = d
	}
	for _, org := range data.Organizations {
		usd, hasUSD := deals[org.ID]["USD"]
		eur, hasEUR := deals[org.ID]["EUR"]
		if hasUSD && hasEUR {
			return org, usd, eur
		}
	}
	t.Fatal("the demo has no organization with open deals in USD and EUR")
	return pipedrivefake.Organization{}, pipedrivefake.Deal{}, pipedrivefake.Deal{}
}

// Every currency the demo's deals use can be invoiced in the demo QuickBooks.
func TestDemoInvoicesADealInEveryCurrency(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	demo, svc := demoService(t, now)

	done := map[string]bool{}
	for _, deal := range pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Now: now}).Deals {
		if done[deal.Currency] || deal.IsDeleted || deal.Status != "open" {
			continue
		}
		built, err := svc.BuildDraft(ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.CreateInvoice(ctx, built.Draft)
		if err != nil {
			t.Fatalf("%s deal %d: %v", deal.Currency, deal.ID, err)
		}
		if inv, ok := demo.QuickBooks.Invoice(res.Invoice.ID); !ok || inv.CurrencyRef.Value != deal.Currency {
			t.Errorf("%s deal %d: QuickBooks holds %+v", deal.Currency, deal.ID, inv)
		}
		done[deal.Currency] = true
	}
	for _, cur := range []string{"USD", "EUR", "GBP", "SEK"} {
		if !done[cur] {
			t.Errorf("no open %s deal was invoiced (did %v)", cur, done)
		}
	}
}
