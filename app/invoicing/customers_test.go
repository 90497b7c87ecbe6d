package invoicing

import (
	"context"
	"errors"
	"testing"
)

func TestLinkAndUnlinkCustomer(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.acct.addCustomer(QBCustomer{ID: "42", DisplayName: "Acme Ltd UK", Currency: "GBP"})
	h.acct.addCustomer(QBCustomer{ID: "43", DisplayName: "Acme Inc", Currency: "USD"})
	d := h.draft(t)

	_, err := h.svc.LinkCustomer(ctx, d, "43")
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Issues[0].Code != CurrencyCustomerMismatch {
		t.Errorf("linking a USD customer to a GBP draft: err = %v, want a currency mismatch", err)
	}

	d, err = h.svc.LinkCustomer(ctx, d, "42")
	if err != nil || d.Customer.LinkedID != "42" || d.Customer.LinkedCurrency != "GBP" {
		t.Fatalf("linked draft %+v, %v", d.Customer, err)
	}
	if again := h.draft(t); again.Customer.LinkedID != "42" {
		t.Error("the link is not remembered for the organization")
	}

	d, err = h.svc.UnlinkCustomer(ctx, d)
	if err != nil || d.Customer.LinkedID != "" || d.Customer.LinkedCurrency != "" {
		t.Fatalf("unlinked draft %+v, %v", d.Customer, err)
	}
	b, err := h.svc.BuildDraft(ctx, dealID)
	if err != nil || b.Draft.Customer.LinkedID != "" {
		t.Errorf("link still remembered after unlink: %+v, %v", b.Draft.Customer, err)
	}
	matches, err := h.svc.CustomerMatches(ctx, d)
	if err != nil || len(matches) != 1 || matches[0].Customer.ID != "42" || matches[0].Kind != PartialName {
		t.Errorf("matches = %+v, %v; want 42 as a partial name", matches, err)
	}
}

func TestLinkDuplicateNameOffersExisting(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.acct.addCustomer(QBCustomer{ID: "77", DisplayName: "Acme Ltd", Currency: "GBP"})
	d := h.draft(t)
	d.Customer.To = "acme ltd"
	// The rep chose "create new" although the candidate was offered.
	_, err := h.svc.CreateInvoice(ctx, d)
	var dn *DuplicateNameError
	if !errors.As(err, &dn) {
		t.Fatalf("err = %v, want a duplicate name", err)
	}
	d, err = h.svc.LinkCustomer(ctx, d, dn.ExistingID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.svc.CreateInvoice(ctx, d)
	if err != nil || res.Invoice.CustomerID != "77" || h.acct.numCustomers() != 1 {
		t.Errorf("invoice for %s (%v), %d customers; want customer 77 only", res.Invoice.CustomerID, err, h.acct.numCustomers())
	}
}

func TestCustomerChanges(t *testing.T) {
	tests := []struct {
		name  string
		local Customer
		qb    QBCustomer
		want  CustomerChanges
	}{
		{"all the same", Customer{Email: "a@b.co", Address: "1 High St", TaxID: "GB123456789"},
			QBCustomer{Email: "A@B.CO", Address: "1 high st", TaxID: "XXXXXX56789"}, CustomerChanges{}},
		{"empty local values are not written", Customer{}, QBCustomer{Email: "a@b.co", Address: "x", TaxID: "X1"}, CustomerChanges{}},
		{"all differ", Customer{Email: "new@b.co", Address: "2 Low Rd", TaxID: "GB000011111"},
			QBCustomer{Email: "a@b.co", Address: "1 High St", TaxID: "XXXXXX56789"},
			CustomerChanges{Email: "new@b.co", Address: "2 Low Rd", TaxID: "GB000011111"}},
		{"address punctuation only", Customer{Address: "1 High St,\nLondon"}, QBCustomer{Address: "1 High St, London"}, CustomerChanges{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := customerChanges(tt.local, tt.qb); got != tt.want {
				t.Errorf("changes = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLinkItemIsRemembered(t *testing.T) {
	h := newHarness(t)
	if err := h.svc.LinkItem(context.Background(), 2, "2"); err != nil {
		t.Fatal(err)
	}
	if got := h.draft(t).Lines[1].ItemRef; got != "2" {
		t.Errorf("hosting item = %s, want the remembered 2", got)
	}
}
