package quickbooks_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	qb "dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

func benchEnv(b *testing.B) *env {
	return newEnv(b, qbofake.Options{Unlimited: true}, func(c *qb.Config) { c.RequestsPerMinute = 1 << 30 })
}

func report(b *testing.B, e *env) {
	b.ReportMetric(float64(e.countRequests())/float64(b.N), "requests/op")
}

// Creating an invoice costs one request, also when the answer is lost once
// in ten and the create is retried with its requestid.
func BenchmarkCreateInvoice(b *testing.B) {
	for _, dropEvery := range []int{0, 10} {
		b.Run(fmt.Sprintf("drop-every-%d", dropEvery), func(b *testing.B) {
			e := benchEnv(b)
			cust := mustCustomer(b, e, "Acme")
			e.fake.ResetRequests()
			b.ResetTimer()
			for i := range b.N {
				if dropEvery > 0 && i%dropEvery == 0 {
					e.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /invoice"})
				}
				mustInvoice(b, e, fmt.Sprintf("bench-%d", i), cust, serviceLine("2", "49.95"))
			}
			report(b, e)
		})
	}
}

// Refreshing the status of every tracked invoice costs one CDC request.
func BenchmarkRefreshByCDC(b *testing.B) {
	e := benchEnv(b)
	cust := mustCustomer(b, e, "Acme")
	for i := range 200 {
		mustInvoice(b, e, fmt.Sprintf("seed-%d", i), cust, serviceLine("1", "10"))
	}
	since := e.clock.Now().Add(-time.Hour)
	e.fake.ResetRequests()
	b.ResetTimer()
	for range b.N {
		ch, err := e.client.ChangedSince(context.Background(), since)
		if err != nil || len(ch.Invoices) != 200 {
			b.Fatal(len(ch.Invoices), err)
		}
	}
	report(b, e)
}

// Reading 1000 invoices by id when CDC cannot reach back far enough.
func BenchmarkInvoicesByID1000(b *testing.B) {
	e := benchEnv(b)
	cust := mustCustomer(b, e, "Acme")
	var ids []string
	for i := range 1000 {
		ids = append(ids, mustInvoice(b, e, fmt.Sprintf("seed-%d", i), cust, serviceLine("1", "10")).ID)
	}
	e.fake.ResetRequests()
	b.ResetTimer()
	for range b.N {
		got, err := e.client.InvoicesByID(context.Background(), ids)
		if err != nil || len(got) != 1000 {
			b.Fatal(len(got), err)
		}
	}
	report(b, e)
}
