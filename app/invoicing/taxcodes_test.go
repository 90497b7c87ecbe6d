package invoicing

import (
	"context"
	"testing"

	"dealbooks/internal/testkit"
)

// TestTaxCodeRememberedPerRate: a line's tax code chosen for Pipedrive's 20 % is remembered on create and
// taken by the next draft with that rate, over the code QuickBooks has with the same rate; saving the
// preferences screen, which edits no such codes, keeps them.
func TestTaxCodeRememberedPerRate(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.acct.taxCodes = append(h.acct.taxCodes, TaxCode{ID: "21", Name: "20.0% ECG", Rate: testkit.Dec("20")})
	d := h.draft(t)
	if d.Lines[0].TaxCode != "20" || d.Lines[1].TaxCode != "0" {
		t.Fatalf("lines take codes %q and %q, want 20.0%% S and 0.0%% Z by rate", d.Lines[0].TaxCode, d.Lines[1].TaxCode)
	}
	d.Lines[0].TaxCode, d.Lines[0].TaxRate = "21", testkit.Dec("20")
	if _, err := h.svc.CreateInvoice(ctx, d); err != nil {
		t.Fatal(err)
	}
	p, err := h.svc.Preferences(ctx)
	if err != nil || p.TaxCodeByRate["20"] != "21" || p.TaxCodeByRate["0"] != "0" {
		t.Fatalf("remembered %v (%v), want 20 → 21 and 0 → 0", p.TaxCodeByRate, err)
	}
	p.TaxCodeByRate = nil // as the preferences screen saves them
	if err := h.svc.SavePreferences(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if again := h.draft(t); again.Lines[0].TaxCode != "21" {
		t.Errorf("next draft takes %q for 20 %%, want the remembered 21", again.Lines[0].TaxCode)
	}
}

// TestInvoiceRequestCarriesWhatTheEditorShows: the address and e-mail typed go on the invoice even when
// the customer record is not updated; a tax-inclusive line goes out net with its gross as TaxInclusiveAmt;
// a US invoice always says whether tax comes after the discount.
func TestInvoiceRequestCarriesWhatTheEditorShows(t *testing.T) {
	d := Draft{Currency: "GBP", Customer: Customer{Address: "2 New Street, Leeds", Email: "new@acme.test", LinkedID: "7"},
		Tax:   TaxSettings{Model: TaxGlobal, Calculation: TaxInclusive},
		Lines: []Line{{Name: "Seat", ItemRef: "1", Quantity: testkit.Dec("2"), UnitPrice: testkit.Dec("60"), TaxCode: "20", TaxRate: testkit.Dec("20")}}}
	req := invoiceRequest(d, "7", Company{TaxModel: TaxGlobal})
	if req.BillAddress != "2 New Street, Leeds" || req.BillEmail != "new@acme.test" {
		t.Errorf("bill to %q, %q; want what the rep typed", req.BillAddress, req.BillEmail)
	}
	l := req.Lines[0]
	// 120.00 with 20 % VAT inside: 100.00 net.
	if !l.Amount.Equal(testkit.Dec("100")) || !l.TaxInclusiveAmt.Equal(testkit.Dec("120")) || !l.UnitPrice.Equal(testkit.Dec("50")) || req.GlobalTaxCalculation != TaxInclusive {
		t.Errorf("line %+v (%s), want Amount 100, TaxInclusiveAmt 120, UnitPrice 50, TaxInclusive", l, req.GlobalTaxCalculation)
	}
	us := Draft{Currency: "USD", Tax: TaxSettings{Model: TaxUS, TxnTaxCode: "3", TxnTaxRate: testkit.Dec("8"), ApplyTaxAfterDiscount: true},
		Lines: []Line{{Name: "Seat", ItemRef: "1", Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("100"), Taxable: true}}}
	if req := invoiceRequest(us, "7", Company{TaxModel: TaxUS}); !req.ApplyTaxAfterDiscount || req.Lines[0].TaxCode != "TAX" ||
		!req.Lines[0].TaxInclusiveAmt.IsZero() {
		t.Errorf("US request %+v", req)
	}
}
