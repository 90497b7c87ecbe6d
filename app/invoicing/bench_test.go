package invoicing

import (
	"context"
	"fmt"
	"testing"
)

var readOps = []string{"Company", "Customers", "Customer", "Items", "TaxCodes", "Invoice", "InvoicesByIDs", "Changes", "InvoicePDF"}

func (f *fakeAccounting) reads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, op := range readOps {
		n += f.calls[op]
	}
	return n
}

func (f *fakeCRM) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// BenchmarkBuildDraft counts the port calls of building a draft right
// after start (a fresh Service each time). DealBundle is one CRM call the
// adapter makes in at most two sequential round trips; the QuickBooks
// reads (company, items, tax codes, customers) run concurrently with it.
func BenchmarkBuildDraft(b *testing.B) {
	h := newHarness(b)
	ctx := context.Background()
	crm0, reads0 := h.crm.total(), h.acct.reads()
	for b.Loop() {
		if _, err := h.newService().BuildDraft(ctx, dealID); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(h.crm.total()-crm0)/n, "crm-calls/op")
	b.ReportMetric(float64(h.acct.reads()-reads0)/n, "qb-reads/op")
	b.ReportMetric(float64(h.acct.writes())/n, "qb-writes/op")
}

// BenchmarkCreateInvoice counts QuickBooks writes per invoice: 1 for a
// linked customer, 2 with a new customer, one more to update the customer.
func BenchmarkCreateInvoice(b *testing.B) {
	cases := []struct {
		name   string
		linked bool
		update bool
	}{
		{"linked", true, false},
		{"new-customer", false, false},
		{"linked-update", true, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := newHarness(b)
			ctx := context.Background()
			if c.linked {
				linkAcme(h)
			}
			d := h.draft(b)
			d.Customer.UpdateInQuickBooks = c.update
			writes0, reads0, crm0 := h.acct.writes(), h.acct.reads(), h.crm.total()
			i := 0
			for b.Loop() {
				i++
				if !c.linked {
					d.Customer.To = fmt.Sprintf("Customer %d", i)
					d.Customer.Party.ID = int64(1000 + i)
				}
				if c.update {
					h.acct.mu.Lock()
					h.acct.customerByID("42").Email = "old@acme.test"
					h.acct.mu.Unlock()
				}
				if _, err := h.svc.CreateInvoice(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(h.acct.writes()-writes0)/n, "qb-writes/op")
			b.ReportMetric(float64(h.acct.reads()-reads0)/n, "qb-reads/op")
			b.ReportMetric(float64(h.crm.total()-crm0)/n, "crm-calls/op")
		})
	}
}
