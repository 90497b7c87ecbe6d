package adapters

import (
	"context"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/testkit"
)

// TestCreateInvoiceTaxInclusive: a UK invoice with prices that include VAT goes out with Line.Amount net
// and SalesItemLineDetail.TaxInclusiveAmt the gross (api/quickbooks.md §6, quickbooks-ruby #346/#569), so
// QuickBooks charges the gross once, not the gross plus VAT again; the billing address typed goes on it.
func TestCreateInvoiceTaxInclusive(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{Country: "GB"})
	ctx := context.Background()
	c, err := e.acct.CreateCustomer(ctx, invoicing.NewCustomer{DisplayName: "Larkspur Ltd"}, "cust")
	if err != nil {
		t.Fatal(err)
	}
	req := invoicing.InvoiceRequest{
		CustomerID: c.ID, GlobalTaxCalculation: invoicing.TaxInclusive, BillAddress: "2 New Street, Leeds, LS1 4AP",
		Lines: []invoicing.InvoiceLine{{ItemID: e.fake.DefaultItemID(), Quantity: testkit.Dec("2"), UnitPrice: testkit.Dec("50"),
			Amount: testkit.Dec("100"), TaxInclusiveAmt: testkit.Dec("120"), TaxCode: e.fake.TaxCodeID("20.0% S")}},
	}
	got := mustInvoice(t, e, req, "create")
	inv, _ := e.fake.Invoice(got.ID)
	d := inv.Line[0].SalesItemLineDetail
	if d.TaxInclusiveAmt == nil || !d.TaxInclusiveAmt.Equal(testkit.Dec("120")) || !inv.Line[0].Amount.Equal(testkit.Dec("100")) {
		t.Errorf("line sent as Amount %v, TaxInclusiveAmt %v; want 100 net and 120 gross", inv.Line[0].Amount, d.TaxInclusiveAmt)
	}
	if !got.Total.Equal(testkit.Dec("120")) {
		t.Errorf("QuickBooks charges %s, want the 120.00 gross", got.Total)
	}
	if inv.BillAddr == nil || inv.BillAddr.Line1 != "2 New Street" {
		t.Errorf("BillAddr = %+v, want the address typed", inv.BillAddr)
	}
}
