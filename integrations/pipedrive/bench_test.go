package pipedrive

import (
	"context"
	"testing"
)

// BenchmarkAllDeals1200 measures the requests needed to read 1,200 deals (pages of 500).
func BenchmarkAllDeals1200(b *testing.B) {
	h := newHarness(b, 1200)
	ctx := context.Background()
	start := h.fake.Count("GET /api/v2/deals")
	for b.Loop() {
		if _, err := h.c.AllDeals(ctx, DealsQuery{Limit: MaxPageSize}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.fake.Count("GET /api/v2/deals")-start)/float64(b.N), "requests/op")
}

// BenchmarkInvoiceInputs measures the requests needed to read everything an invoice needs from one deal:
// the deal, its organization, person, products and discounts. The fake's burst limit (80 per 2 s) answers
// some calls 429 over a long run; those retries are not counted.
func BenchmarkInvoiceInputs(b *testing.B) {
	h := newHarness(b, 300)
	ctx := context.Background()
	start := len(h.fake.Requests())
	for b.Loop() {
		d, err := h.c.Deal(ctx, 11)
		if err != nil {
			b.Fatal(err)
		}
		if d.OrgID != 0 {
			if _, err := h.c.Organization(ctx, d.OrgID); err != nil {
				b.Fatal(err)
			}
		}
		if d.PersonID != 0 {
			if _, err := h.c.Person(ctx, d.PersonID); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := h.c.DealProducts(ctx, d.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := h.c.DealDiscounts(ctx, d.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(h.fake.Requests())-start-h.fake.Rejected())/float64(b.N), "requests/op")
}
