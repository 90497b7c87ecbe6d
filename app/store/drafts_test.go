package store

import (
	"context"
	"errors"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func sampleDraft(dealID int64) invoicing.Draft {
	return invoicing.Draft{
		DealID: dealID,
		Customer: invoicing.Customer{
			To: "Acme GmbH", Address: "Hauptstraße 1\n10115 Berlin", Email: "billing@acme.example",
			LinkedID: "58", LinkedCurrency: "EUR",
			Party: invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 100}, UpdateInQuickBooks: true,
		},
		Currency:  "EUR",
		IssueDate: invoicing.NewDate(2026, 11, 27),
		DueDate:   invoicing.NewDate(2026, 12, 11),
		Memo:      "Deal 42",
		Tax:       invoicing.TaxSettings{Model: invoicing.TaxGlobal, Calculation: invoicing.TaxExcluded},
		Lines: []invoicing.Line{{
			ProductID: 7, Name: "Consulting", ItemRef: "1", Quantity: testkit.Dec("1.5"), UnitPrice: testkit.Dec("0.1"),
			TaxCode: "3", TaxRate: testkit.Dec("19"), Recurring: true,
			Discount: invoicing.Discount{Type: invoicing.DiscountPercentage, Value: testkit.Dec("12.5")},
		}},
		Discounts: []invoicing.Discount{{Description: "Loyalty", Type: invoicing.DiscountAmount, Value: testkit.Dec("0.2")}},
	}
}

func TestDrafts(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	if _, err := r.Draft(ctx, 42); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Draft before any save: err = %v, want ErrNotFound", err)
	}
	d := sampleDraft(42)
	if err := r.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := r.Draft(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Draft", got, d)

	d.Memo = "changed"
	d.Lines = nil
	if err := r.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Draft(ctx, 42); err != nil || got.Memo != "changed" || len(got.Lines) != 0 {
		t.Errorf("Draft after replace = %+v, %v; want the second save", got, err)
	}

	mustDo(t, r.DeleteDraft(ctx, 42), r.DeleteDraft(ctx, 42))
	if _, err := r.Draft(ctx, 42); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("Draft after delete: err = %v, want ErrNotFound", err)
	}
}
