package store

import (
	"context"
	"errors"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func sampleInvoice(id string, dealID int64, issue invoicing.Date) invoicing.CachedInvoice {
	return invoicing.CachedInvoice{
		Invoice: invoicing.Invoice{
			ID: id, SyncToken: "2", DocNumber: "PD-" + id, CustomerID: "58", CustomerName: "Acme GmbH",
			Currency: "EUR", IssueDate: issue, DueDate: issue.AddDays(14), Total: testkit.Dec("119.00"),
			Balance: testkit.Dec("19.00"), PrivateNote: "Deal " + id, EmailStatus: "EmailSent",
			BillEmail: "billing@acme.example", UpdatedAt: at(10, 30),
			Tax: testkit.Dec("19.00"), Discount: testkit.Dec("5.50"), Deposit: testkit.Dec("12.00"), HomeTotal: testkit.Dec("128.52"), ExchangeRate: testkit.Dec("1.08"),
		},
		DealID:    dealID,
		Status:    invoicing.Status{State: invoicing.PartiallyPaid, Overdue: true, Sent: true},
		NoteID:    77,
		FetchedAt: at(11, 0),
	}
}

func TestInvoiceCache(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	if _, err := r.Invoice(ctx, "130"); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Invoice before any save: err = %v, want ErrNotFound", err)
	}
	a := sampleInvoice("130", 1, invoicing.NewDate(2026, 11, 1))
	b := sampleInvoice("131", 2, invoicing.NewDate(2026, 11, 20))
	c := sampleInvoice("129", 1, invoicing.NewDate(2026, 11, 20))
	noDates := invoicing.CachedInvoice{Invoice: invoicing.Invoice{ID: "9", Total: testkit.Dec("0"), Balance: testkit.Dec("0")}, DealID: 3}
	if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{a, b, c, noDates}); err != nil {
		t.Fatal(err)
	}

	got, err := r.Invoice(ctx, "130")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Invoice(130)", got, a)
	got, err = r.Invoice(ctx, "9")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Invoice(9) without dates", got, noDates)

	tests := []struct {
		name   string
		dealID int64
		want   []invoicing.CachedInvoice
	}{
		{"all: newest issue date first, then by id", 0, []invoicing.CachedInvoice{c, b, a, noDates}},
		{"one deal", 1, []invoicing.CachedInvoice{c, a}},
		{"deal without invoices", 99, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Invoices(ctx, tt.dealID)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "Invoices", got, tt.want)
		})
	}

	// A refresh replaces the invoice by id: now paid and voided elsewhere.
	a.Invoice.Balance, a.Invoice.SyncToken = testkit.Dec("0"), "3"
	a.Status = invoicing.Status{State: invoicing.Paid, Sent: true}
	if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{a}); err != nil {
		t.Fatal(err)
	}
	got, err = r.Invoice(ctx, "130")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Invoice(130) after replace", got, a)
	if all, _ := r.Invoices(ctx, 0); len(all) != 4 {
		t.Errorf("%d invoices after replace, want 4", len(all))
	}
}

func TestInvoiceStatusRoundTrip(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	tests := []invoicing.Status{
		{State: invoicing.Open},
		{State: invoicing.Open, Overdue: true, Sent: true},
		{State: invoicing.PartiallyPaid, Overdue: true},
		{State: invoicing.Paid, Sent: true},
		{State: invoicing.Voided},
		{State: invoicing.Queued, Overdue: true},
		{State: invoicing.Deleted},
	}
	for _, st := range tests {
		t.Run(st.String(), func(t *testing.T) {
			ci := sampleInvoice("1", 1, invoicing.NewDate(2026, 1, 2))
			ci.Status = st
			ci.Invoice.Deleted = st.State == invoicing.Deleted
			if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{ci}); err != nil {
				t.Fatal(err)
			}
			got, err := r.Invoice(ctx, "1")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != st || got.Invoice.Deleted != ci.Invoice.Deleted {
				t.Errorf("Status = %+v (deleted %v), want %+v (deleted %v)", got.Status, got.Invoice.Deleted, st, ci.Invoice.Deleted)
			}
		})
	}
	bad := sampleInvoice("2", 1, invoicing.NewDate(2026, 1, 2))
	bad.Status.State = invoicing.State(99)
	if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{bad}); err == nil {
		t.Error("UpsertInvoices stored an unknown state")
	}
}

func TestAmountsAreExact(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	tests := []struct {
		name      string
		total     string // as the invoice carries it
		wantText  string // as it reads back, scale included
		wantScale int32
	}{
		{"0.1 + 0.2", testkit.Dec("0.1").Add(testkit.Dec("0.2")).String(), "0.3", -1},
		{"keeps trailing zeros", "100.00", "100.00", -2},
		{"whole number", "100", "100", 0},
		{"zero with cents", "0.00", "0.00", -2},
		{"negative", "-19.99", "-19.99", -2},
		{"more places than a currency has", "0.0000001", "0.0000001", -7},
		{"larger than float64 holds exactly", "12345678901234567890.123456789", "12345678901234567890.123456789", -9},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := sampleInvoice(string(rune('a'+i)), 1, invoicing.NewDate(2026, 1, 2))
			ci.Invoice.Total = testkit.Dec(tt.total)
			ci.Invoice.Balance = ci.Invoice.Total
			if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{ci}); err != nil {
				t.Fatal(err)
			}
			got, err := r.Invoice(ctx, ci.Invoice.ID)
			if err != nil {
				t.Fatal(err)
			}
			total := got.Invoice.Total
			if !total.Equal(testkit.Dec(tt.total)) || total.StringFixed(-total.Exponent()) != tt.wantText || total.Exponent() != tt.wantScale {
				t.Errorf("Total = %s (exponent %d), want %s (exponent %d)", total, total.Exponent(), tt.wantText, tt.wantScale)
			}
			if !got.Invoice.Balance.Equal(ci.Invoice.Balance) {
				t.Errorf("Balance = %s, want %s", got.Invoice.Balance, ci.Invoice.Balance)
			}
		})
	}
	// The 0.1 + 0.2 invoice sums exactly with another read from the store.
	first, _ := r.Invoice(ctx, "a")
	if sum := first.Invoice.Total.Add(testkit.Dec("0.7")); !sum.Equal(testkit.Dec("1")) {
		t.Errorf("0.3 read back + 0.7 = %s, want 1", sum)
	}
}
