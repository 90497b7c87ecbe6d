package invoicing

import (
	"context"
	"testing"

	"dealbooks/internal/testkit"
)

// A US deal drafted and created while QuickBooks cannot be reached keeps the tax rate of the company's tax
// code as last read, so the queued invoice shows the total QuickBooks will charge, tax included (it showed
// the subtotal: 41,737.39 where QuickBooks then charged 45,076.38 at 8 %).
func TestQueuedInvoiceTotalIncludesTaxWhenDraftedOffline(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.acct.company = Company{Country: "US", HomeCurrency: "GBP", TaxModel: TaxUS, DefaultTaxCode: "8"}
	h.acct.taxCodes = append(h.acct.taxCodes, TaxCode{ID: "8", Name: "California", Rate: testkit.Dec("8")})
	h.draft(t) // online once: the company and its tax codes are read

	h.svc = h.newService() // the app started again, QuickBooks out of reach
	h.acct.setOffline(true)
	d := h.draft(t)
	if d.Tax.TxnTaxCode != "8" || !d.Tax.TxnTaxRate.Equal(testkit.Dec("8")) {
		t.Fatalf("offline draft tax = %+v, want code 8 at the 8 %% last read", d.Tax)
	}
	res, err := h.svc.CreateInvoice(ctx, d)
	if err != nil || !res.Queued {
		t.Fatalf("create offline = %+v, %v; want queued", res, err)
	}
	h2, err := h.svc.History(ctx, HistoryQuery{DealID: dealID})
	if err != nil || len(h2.Items) != 1 {
		t.Fatalf("history = %+v, %v", h2.Items, err)
	}
	// The deal's taxable line: 10 × 100 less 10 % = 900.00 (Hosting is not taxed); 50.00 more; the deal's
	// 5.00 discount comes before tax (ApplyTaxAfterDiscount, as the deal taxes it), its share of the taxable
	// line 900/950 × 5.00 = 4.74: 8 % of 895.26 = 71.62, so 950.00 − 5.00 + 71.62 = 1016.62.
	q := h2.Items[0]
	if q.Status.State != Queued || !q.Invoice.Tax.Equal(testkit.Dec("71.62")) || !q.Invoice.Total.Equal(testkit.Dec("1016.62")) {
		t.Errorf("queued invoice = %v, tax %s, total %s; want Queued, 71.62 and 1016.62", q.Status, q.Invoice.Tax, q.Invoice.Total)
	}
}
