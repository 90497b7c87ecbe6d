package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dealbooks/app/invoicing"
)

// runCode runs one subcommand and returns its exit code, output and error output.
func (e *demoEnv) runCode(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errOut,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return e.svc, func() error { return nil }, nil
		},
	})
	return code, out.String(), errOut.String()
}

// A second `invoice create` for a deal fails, naming the invoice it already has; --another creates a
// second one; the draft shows what is already invoiced.
func TestCreateTwiceNeedsAnother(t *testing.T) {
	e := newDemoEnv(t)
	var deals []dealJSON
	if err := json.Unmarshal([]byte(e.run(t, "deals", "--json")), &deals); err != nil {
		t.Fatal(err)
	}
	var deal dealJSON
	for _, d := range deals {
		if d.Currency == "USD" && d.Organization != "" && d.Value.IsPositive() {
			deal = d
			break
		}
	}
	id := strconvI(deal.ID)
	var first invoiceJSON
	if err := json.Unmarshal([]byte(e.run(t, "invoice", "create", "--deal", id, "--new-customer", "--accept-difference", "--json")), &first); err != nil {
		t.Fatal(err)
	}
	// The amount already invoiced is what QuickBooks charges for it, not only what the command printed.
	if inv, ok := e.demo.QuickBooks.Invoice(first.ID); !ok || inv.TotalAmt == nil || !first.Total.Equal(inv.TotalAmt.Decimal) {
		t.Fatalf("create printed total %s; QuickBooks holds %+v", first.Total, inv)
	}
	before := len(e.demo.QuickBooks.Invoices())

	code, _, errOut := e.runCode("invoice", "create", "--deal", id, "--accept-difference", "--json")
	if code != ExitError {
		t.Fatalf("second create: exit %d, want %d", code, ExitError)
	}
	for _, want := range []string{first.Number, "Id " + first.ID, "--another"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("second create said %q, want it to name %q", errOut, want)
		}
	}
	if got := len(e.demo.QuickBooks.Invoices()); got != before {
		t.Errorf("QuickBooks has %d invoices after the refused create, want %d", got, before)
	}

	var draft draftJSON
	if err := json.Unmarshal([]byte(e.run(t, "invoice", "draft", "--deal", id, "--json")), &draft); err != nil {
		t.Fatal(err)
	}
	a := draft.Invoiced
	if a == nil || len(a.Invoices) != 1 || a.Invoices[0].ID != first.ID || !a.DealValue.Equal(deal.Value) ||
		!a.Invoiced.Equal(first.Total) || !a.ToBill.Equal(deal.Value.Sub(first.Total)) {
		t.Errorf("draft's already_invoiced = %+v; want invoice %s of %s, deal value %s", a, first.ID, first.Total, deal.Value)
	}
	if text := e.run(t, "invoice", "draft", "--deal", id); !strings.Contains(text, "Already invoiced") || !strings.Contains(text, first.Number) {
		t.Errorf("invoice draft = %q, want the invoice already made", text)
	}

	var second invoiceJSON
	if err := json.Unmarshal([]byte(e.run(t, "invoice", "create", "--deal", id, "--another", "--accept-difference", "--json")), &second); err != nil {
		t.Fatal(err)
	}
	if second.ID == "" || second.ID == first.ID || len(e.demo.QuickBooks.Invoices()) != before+1 {
		t.Errorf("create --another = %+v, want a second invoice", second)
	}
}

// Draft lines say how their QuickBooks item was found: the demo's items carry some of the Pipedrive
// catalogue's codes as SKUs, and a product matching none is said to fall back to the default item.
func TestDraftLinesSayHowTheirItemWasFound(t *testing.T) {
	e := newDemoEnv(t)
	var deals []dealJSON
	if err := json.Unmarshal([]byte(e.run(t, "deals", "--json")), &deals); err != nil {
		t.Fatal(err)
	}
	items := map[string]string{} // SKU → item id in the demo QuickBooks
	for _, it := range e.demo.QuickBooks.Items() {
		if it.Sku != "" {
			items[it.Sku] = it.ID
		}
	}
	var bySku, byDefault int
	for _, d := range deals[:40] {
		var draft draftJSON
		if err := json.Unmarshal([]byte(e.run(t, "invoice", "draft", "--deal", strconvI(d.ID), "--json")), &draft); err != nil {
			t.Fatal(err)
		}
		for _, l := range draft.Lines {
			switch want, ok := items[l.ProductCode]; {
			case ok:
				bySku++
				if l.ItemRef != want || l.ItemMatch != "sku" {
					t.Errorf("deal %d line %q (code %s): item %s by %q, want %s by sku", d.ID, l.Name, l.ProductCode, l.ItemRef, l.ItemMatch, want)
				}
			case l.ItemMatch == "default":
				byDefault++
				if !strings.Contains(strings.Join(draft.Warnings, "\n"), l.Name) {
					t.Errorf("deal %d: line %q on the default item without a warning: %v", d.ID, l.Name, draft.Warnings)
				}
			}
		}
	}
	if bySku == 0 || byDefault == 0 {
		t.Errorf("%d lines matched by SKU, %d on the default item; want both kinds in the demo", bySku, byDefault)
	}
}

// history --json carries the tax, discount and deposit QuickBooks holds for the invoice.
func TestHistoryJSONCarriesQuickBooksFigures(t *testing.T) {
	e := newDemoEnv(t)
	var deals []dealJSON
	if err := json.Unmarshal([]byte(e.run(t, "deals", "--json")), &deals); err != nil {
		t.Fatal(err)
	}
	var created invoiceJSON
	for _, d := range deals {
		if d.Currency == "USD" && d.Organization != "" {
			if err := json.Unmarshal([]byte(e.run(t, "invoice", "create", "--deal", strconvI(d.ID), "--new-customer", "--accept-difference", "--json")), &created); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	qb, ok := e.demo.QuickBooks.Invoice(created.ID)
	if !ok || qb.TxnTaxDetail == nil || qb.TxnTaxDetail.TotalTax == nil || !qb.TxnTaxDetail.TotalTax.IsPositive() {
		t.Fatalf("QuickBooks has no invoice %s with tax", created.ID)
	}
	var hist []invoiceJSON
	if err := json.Unmarshal([]byte(e.run(t, "history", "--deal", strconvI(created.DealID), "--json")), &hist); err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || !hist[0].Tax.Equal(qb.TxnTaxDetail.TotalTax.Decimal) || !hist[0].Deposit.IsZero() {
		t.Errorf("history --json = %+v, want tax %s as QuickBooks holds it and no deposit", hist, qb.TxnTaxDetail.TotalTax.Decimal)
	}
}
