package invoicing

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

// seedHistory caches four invoices on 13 March 2026 and queues a fifth.
func seedHistory(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	inv := func(id, number, customer, cur, total, balance string, due Date, deal int64) CachedInvoice {
		return CachedInvoice{DealID: deal, Invoice: Invoice{ID: id, DocNumber: number, CustomerName: customer, Currency: cur,
			IssueDate: due.AddDays(-14), DueDate: due, Total: testkit.Dec(total), Balance: testkit.Dec(balance)}}
	}
	err := h.repo.UpsertInvoices(ctx, []CachedInvoice{
		inv("1", "1001", "Acme Ltd", "GBP", "100", "100", NewDate(2026, 3, 20), dealID), // open
		inv("2", "1002", "Beta GmbH", "EUR", "200", "50", NewDate(2026, 3, 1), 8),       // partially paid, overdue
		inv("3", "1003", "Acme Ltd", "GBP", "300", "0", NewDate(2026, 3, 10), dealID),   // paid
		inv("4", "1004", "Acme Ltd (EUR)", "EUR", "80", "80", NewDate(2026, 3, 30), 9),  // open
	})
	if err != nil {
		t.Fatal(err)
	}
	h.repo.sync.InvoicesSyncedAt = h.clock.Now().Add(-time.Hour)
	d := h.draft(t)
	h.acct.setOffline(true)
	if res, err := h.svc.CreateInvoice(ctx, d); err != nil || !res.Queued {
		t.Fatalf("queue: %+v, %v", res, err)
	}
}

func TestHistory(t *testing.T) {
	h := newHarness(t)
	seedHistory(t, h)
	queued := ComputeTotals(h.repo.allOutbox(t)[0].Draft).Total
	tests := []struct {
		name string
		q    HistoryQuery
		want []string // invoice numbers; the queued one has none
	}{
		{"all, newest issue first", HistoryQuery{}, []string{"1004", "", "1001", "1003", "1002"}},
		{"one deal", HistoryQuery{DealID: dealID, Sort: ByDueDate}, []string{"1003", "1001", ""}},
		{"by due date", HistoryQuery{Sort: ByDueDate}, []string{"1002", "1003", "1001", "", "1004"}},
		{"by amount", HistoryQuery{Sort: ByAmount}, []string{"", "1003", "1002", "1001", "1004"}},
		{"open ones", HistoryQuery{States: []State{Open, PartiallyPaid}, Sort: ByDueDate}, []string{"1002", "1001", "1004"}},
		{"overdue", HistoryQuery{OverdueOnly: true}, []string{"1002"}},
		{"queued", HistoryQuery{States: []State{Queued}}, []string{""}},
		{"search number", HistoryQuery{Text: "1003"}, []string{"1003"}},
		{"search customer", HistoryQuery{Text: "(eur)"}, []string{"1004"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hist, err := h.svc.History(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range hist.Items {
				got = append(got, it.Invoice.DocNumber)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("numbers %q, want %q", got, tt.want)
			}
			if !hist.UpdatedAt.Equal(h.clock.Now().Add(-time.Hour)) {
				t.Errorf("updated at %v", hist.UpdatedAt)
			}
		})
	}

	hist, _ := h.svc.History(context.Background(), HistoryQuery{})
	want := "130.00 EUR;100.00 GBP"
	var got []string
	for _, m := range hist.Outstanding {
		got = append(got, m.String())
	}
	if strings.Join(got, ";") != want {
		t.Errorf("outstanding %q, want %q (queued %s not in it)", got, want, queued)
	}

	var buf bytes.Buffer
	if err := WriteHistoryCSV(&buf, hist.Rows()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "1002,Beta GmbH,2026-02-15,2026-03-01,200.00,50.00,EUR,\"Partially paid, Overdue\"") {
		t.Errorf("CSV:\n%s", buf.String())
	}
}
