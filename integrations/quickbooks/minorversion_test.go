package quickbooks_test

import (
	"context"
	"io"
	"testing"
	"time"

	qb "dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// Intuit ignores minor versions 1–74 since 2025-08-01: every request the client sends, reads, writes
// and retries alike, names minor version 75 itself.
func TestEveryRequestCarriesMinorVersion75(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "inv-1", cust, serviceLine("2", "10"))
	memo := "deal 7"
	// Retried requests carry it too.
	e.fake.Inject(qbofake.Script{Failure: qbofake.Throttle, Times: 1, Match: "GET /preferences"})
	e.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /invoice"})
	calls := []struct {
		name string
		call func() error
	}{
		{"CompanyInfo", func() error { _, err := e.client.CompanyInfo(ctx); return err }},
		{"Preferences", func() error { _, err := e.client.Preferences(ctx); return err }},
		{"Items", func() error { _, err := e.client.Items(ctx); return err }},
		{"ItemByName", func() error { _, err := e.client.ItemByName(ctx, "Services"); return err }},
		{"TaxCodes", func() error { _, err := e.client.TaxCodes(ctx); return err }},
		{"TaxRates", func() error { _, err := e.client.TaxRates(ctx); return err }},
		{"Terms", func() error { _, err := e.client.Terms(ctx); return err }},
		{"Customer", func() error { _, err := e.client.Customer(ctx, cust.ID); return err }},
		{"CustomerByDisplayName", func() error { _, err := e.client.CustomerByDisplayName(ctx, "Acme"); return err }},
		{"SearchCustomers", func() error { _, err := e.client.SearchCustomers(ctx, "Ac", 10); return err }},
		{"AllCustomers", func() error { _, err := e.client.AllCustomers(ctx); return err }},
		{"UpdateCustomer", func() error {
			_, err := e.client.UpdateCustomer(ctx, "cust-2", qb.Customer{ID: cust.ID, SyncToken: cust.SyncToken, PrimaryEmailAddr: &qb.EmailAddress{Address: "ap@example.com"}})
			return err
		}},
		{"Invoice", func() error { _, err := e.client.Invoice(ctx, inv.ID); return err }},
		{"InvoicesByID", func() error { _, err := e.client.InvoicesByID(ctx, []string{inv.ID}); return err }},
		{"UpdateInvoice", func() error {
			got, err := e.client.UpdateInvoice(ctx, "inv-2", qb.Invoice{ID: inv.ID, SyncToken: inv.SyncToken, PrivateNote: &memo})
			if err == nil {
				inv = got
			}
			return err
		}},
		{"SendInvoice", func() error {
			got, err := e.client.SendInvoice(ctx, "inv-3", inv.ID, "")
			if err == nil {
				inv = got
			}
			return err
		}},
		{"InvoicePDF", func() error {
			pdf, err := e.client.InvoicePDF(ctx, inv.ID)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, pdf)
			return err
		}},
		{"VoidInvoice", func() error {
			got, err := e.client.VoidInvoice(ctx, "inv-4", inv.ID, inv.SyncToken)
			if err == nil {
				inv = got
			}
			return err
		}},
		{"DeleteInvoice", func() error { return e.client.DeleteInvoice(ctx, "inv-5", inv.ID, inv.SyncToken) }},
		{"ChangedSince", func() error { _, err := e.client.ChangedSince(ctx, e.clock.Now().Add(-time.Hour)); return err }},
	}
	for _, c := range calls {
		if err := c.call(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}

	api := 0
	for _, r := range e.fake.Requests() {
		if r.Path == "/oauth2/v1/tokens/bearer" {
			continue
		}
		api++
		if got := r.Query["minorversion"]; len(got) != 1 || got[0] != "75" || r.MinorVersionIgnored {
			t.Errorf("%s %s went with minorversion %q", r.Method, r.Path, got)
		}
	}
	if want := len(calls) + 4; api < want { // the calls, the customer and invoice made first, two retries
		t.Errorf("the fake saw %d API requests, want at least %d", api, want)
	}
}
