package adapters

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// BenchmarkHistory10000 opens the history of 10,000 cached invoices in the
// real SQLite store through invoicing.Service: all of them, searched by
// text, and only the paid ones.
func BenchmarkHistory10000(b *testing.B) {
	const rows = 10_000
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC) }
	svc, repo := storeService(b, filepath.Join(b.TempDir(), "dealbooks.db"), "realm-1", nil, nil, now)
	invs := make([]invoicing.CachedInvoice, rows)
	for i := range invs {
		issue := invoicing.NewDate(2026, 1, 1).AddDays(i % 300)
		total := decimal.New(int64(100_00+i), -2)
		balance := []decimal.Decimal{total, decimal.New(50_00, -2), decimal.Zero}[i%3] // open, partly paid, paid
		invs[i] = invoicing.CachedInvoice{
			Invoice: invoicing.Invoice{
				ID: strconv.Itoa(1000 + i), SyncToken: "0", DocNumber: fmt.Sprintf("PD-%d", 1000+i),
				CustomerID: strconv.Itoa(i % 400), CustomerName: fmt.Sprintf("Customer %d Ltd", i%400),
				Currency: "USD", IssueDate: issue, DueDate: issue.AddDays(30), Total: total, Balance: balance,
				EmailStatus: "EmailSent", BillEmail: "billing@example.com", UpdatedAt: time.Unix(1_790_000_000+int64(i), 0),
			},
			DealID:    int64(i % 2000),
			FetchedAt: time.Unix(1_790_100_000, 0),
		}
		invs[i].Status = invs[i].Invoice.Status(invoicing.DateOf(now()))
	}
	if err := repo.UpsertInvoices(ctx, invs); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		q    invoicing.HistoryQuery
		want int
	}{
		{"all", invoicing.HistoryQuery{}, rows},
		{"text", invoicing.HistoryQuery{Text: "customer 123"}, rows / 400},
		{"paid", invoicing.HistoryQuery{States: []invoicing.State{invoicing.Paid}}, rows / 3},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h, err := svc.History(ctx, bb.q)
				if err != nil || len(h.Items) != bb.want {
					b.Fatalf("History = %d items, %v; want %d", len(h.Items), err, bb.want)
				}
			}
		})
	}
}
