package adapters

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// termsByName returns the adapter's terms by name, failing the test on an error.
func termsByName(t *testing.T, e *qbEnv) map[string]invoicing.Term {
	t.Helper()
	terms, err := e.acct.Terms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]invoicing.Term{}
	for _, term := range terms {
		byName[term.Name] = term
	}
	return byName
}

func TestTermsListTheCompanysStandardTerms(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	got := termsByName(t, e)
	want := map[string]int{"Due on receipt": 0, "Net 15": 15, "Net 30": 30, "Net 60": 60}
	if len(got) != len(want) {
		t.Errorf("terms = %+v, want %v", got, want)
	}
	for name, days := range want {
		term, ok := got[name]
		if !ok || term.ID == "" || term.DueDays != days || term.DateDriven {
			t.Errorf("%s = %+v (listed %v); want an id, due after %d days", name, term, ok, days)
		}
	}
}

// The real sample is QuickBooks' answer to SELECT * FROM Term; the
// date-driven term follows the Term reference (Type DATE_DRIVEN, due on a
// day of the month, no DueDays), as no real sample of one is at hand.
func TestTermMapping(t *testing.T) {
	data, err := os.ReadFile("testdata/airbyte_terms_list.json")
	if err != nil {
		t.Fatal(err)
	}
	var sample []quickbooks.Term
	if err := json.Unmarshal(data, &sample); err != nil {
		t.Fatal(err)
	}
	var dateDriven quickbooks.Term
	if err := json.Unmarshal([]byte(`{"Name":"15th of next month","Active":true,"Type":"DATE_DRIVEN",
		"DayOfMonthDue":15,"DueNextMonthDays":5,"Id":"6","SyncToken":"0"}`), &dateDriven); err != nil {
		t.Fatal(err)
	}
	var got []invoicing.Term
	for _, qt := range append(sample, dateDriven) {
		got = append(got, term(qt))
	}
	want := []invoicing.Term{
		{ID: "4", Name: "Net 60", DueDays: 60},
		{ID: "3", Name: "Net 30", DueDays: 30},
		{ID: "2", Name: "Net 15", DueDays: 15},
		{ID: "1", Name: "Due on receipt"},
		{ID: "5", Name: "Net 10", DueDays: 10},
		{ID: "6", Name: "15th of next month", DateDriven: true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("terms =\n%+v\nwant\n%+v", got, want)
	}
}

func TestCreateInvoiceCarriesTheTerm(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	c := mustCustomer(t, e, "Acme")
	terms := termsByName(t, e)
	issued := invoicing.NewDate(2026, time.March, 13)

	t.Run("with the due date the editor set", func(t *testing.T) {
		req := simpleInvoice(e, c.ID, "")
		req.IssueDate, req.DueDate, req.Terms = issued, issued.AddDays(60), terms["Net 60"].ID
		got := mustInvoice(t, e, req, "create-net60")
		inv, _ := e.fake.Invoice(got.ID)
		if inv.SalesTermRef == nil || inv.SalesTermRef.Value != terms["Net 60"].ID || inv.DueDate != "2026-05-12" || got.DueDate != req.DueDate {
			t.Errorf("invoice terms %+v, due %s (read back %s); want Net 60, due 2026-05-12", inv.SalesTermRef, inv.DueDate, got.DueDate)
		}
	})
	t.Run("without a due date QuickBooks derives it from the term", func(t *testing.T) {
		req := simpleInvoice(e, c.ID, "")
		req.IssueDate, req.Terms = issued, terms["Net 15"].ID
		got := mustInvoice(t, e, req, "create-net15")
		inv, _ := e.fake.Invoice(got.ID)
		if inv.SalesTermRef == nil || inv.SalesTermRef.Value != terms["Net 15"].ID || got.DueDate != invoicing.NewDate(2026, time.March, 28) {
			t.Errorf("invoice terms %+v, due %s; want Net 15, due 2026-03-28", inv.SalesTermRef, got.DueDate)
		}
	})
	t.Run("a term QuickBooks does not know is refused", func(t *testing.T) {
		req := simpleInvoice(e, c.ID, "")
		req.IssueDate, req.Terms = issued, "999"
		_, err := e.acct.CreateInvoice(context.Background(), req, "create-unknown")
		var pe *invoicing.ProviderError
		if !errors.As(err, &pe) || pe.Code != "2500" {
			t.Errorf("err = %v, want QuickBooks' invalid reference (2500)", err)
		}
	})
}

func TestTermsOffline(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	e.srv.Close()
	if _, err := e.acct.Terms(context.Background()); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("Terms: %v, want ErrOffline", err)
	}
}
