package store

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"dealbooks/app/invoicing"

	"github.com/shopspring/decimal"
)

const benchRows = 10_000

// BenchmarkInvoicesHistory opens the history: every one of 10,000 cached invoices, as Invoices(ctx, 0)
// returns them to the history screen.
func BenchmarkInvoicesHistory(b *testing.B) {
	ctx := context.Background()
	r, _ := newRepo(b)
	invs := make([]invoicing.CachedInvoice, benchRows)
	for i := range invs {
		issue := invoicing.NewDate(2026, 1, 1).AddDays(i % 300)
		invs[i] = invoicing.CachedInvoice{
			Invoice: invoicing.Invoice{
				ID: strconv.Itoa(1000 + i), SyncToken: "0", DocNumber: fmt.Sprintf("PD-%d", 1000+i),
				CustomerID: strconv.Itoa(i % 400), CustomerName: fmt.Sprintf("Customer %d Ltd", i%400),
				Currency: "USD", IssueDate: issue, DueDate: issue.AddDays(30),
				Total: decimal.New(int64(100_00+i), -2), Balance: decimal.New(int64(i%3*50_00), -2),
				EmailStatus: "EmailSent", BillEmail: "billing@example.com", UpdatedAt: time.Unix(1_790_000_000+int64(i), 0),
			},
			DealID:    int64(i % 2000),
			Status:    invoicing.Status{State: invoicing.State(i % 3), Sent: true},
			FetchedAt: time.Unix(1_790_100_000, 0),
		}
	}
	if err := r.UpsertInvoices(ctx, invs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := r.Invoices(ctx, 0)
		if err != nil || len(got) != benchRows {
			b.Fatalf("Invoices = %d invoices, %v", len(got), err)
		}
	}
}

// BenchmarkDeals lists and searches 10,000 cached deals as the deal picker does.
func BenchmarkDeals(b *testing.B) {
	ctx := context.Background()
	r, _ := newRepo(b)
	statuses := []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon, invoicing.DealLost, invoicing.DealDeleted}
	deals := make([]invoicing.Deal, benchRows)
	for i := range deals {
		deals[i] = invoicing.Deal{
			ID: int64(i + 1), Title: fmt.Sprintf("Deal %d for project %d", i+1, i%97), Value: decimal.New(int64(i)*100, -2),
			Currency: "EUR", Status: statuses[i%len(statuses)], OwnerID: int64(i % 20),
			OrgID: int64(i % 500), OrgName: fmt.Sprintf("Organisation %d GmbH", i%500),
			PersonID: int64(i % 3000), PersonName: fmt.Sprintf("Person %d", i%3000),
			UpdatedAt: time.Unix(1_790_000_000+int64(i*37%benchRows)*60, 0),
		}
	}
	if err := r.UpsertDeals(ctx, deals); err != nil {
		b.Fatal(err)
	}
	open := []invoicing.DealStatus{invoicing.DealOpen}
	tests := []struct {
		name string
		q    invoicing.DealQuery
	}{
		{"first page", invoicing.DealQuery{Limit: 50}},
		{"first page of open deals", invoicing.DealQuery{Statuses: open, Limit: 50}},
		{"all", invoicing.DealQuery{}},
		{"search common word", invoicing.DealQuery{Text: "GmbH", Limit: 50}},
		{"search rare name", invoicing.DealQuery{Text: "organisation 499 ", Limit: 50}},
		{"search no match", invoicing.DealQuery{Text: "zzz", Limit: 50}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Deals(ctx, tt.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
