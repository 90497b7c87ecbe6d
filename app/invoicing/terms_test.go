package invoicing

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestTermDueDate(t *testing.T) {
	issued := NewDate(2026, time.March, 13)
	tests := []struct {
		name   string
		term   Term
		issued Date
		want   Date
		wantOK bool
	}{
		{"net 30", Term{Name: "Net 30", DueDays: 30}, issued, NewDate(2026, time.April, 12), true},
		{"due on receipt", Term{Name: "Due on receipt"}, issued, issued, true},
		{"across the year", Term{Name: "Net 15", DueDays: 15}, NewDate(2026, time.December, 20), NewDate(2027, time.January, 4), true},
		{"date-driven", Term{Name: "15th of next month", DateDriven: true}, issued, Date{}, false},
		{"no issue date", Term{Name: "Net 30", DueDays: 30}, Date{}, Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.term.DueDate(tt.issued)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("DueDate(%s) = %s, %v; want %s, %v", tt.issued, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestValidateTerm(t *testing.T) {
	known := []Term{{ID: "1", Name: "Due on receipt"}, {ID: "3", Name: "Net 30", DueDays: 30}}
	tests := []struct {
		name    string
		term    string
		terms   []Term
		refused bool
	}{
		{"no term", "", known, false},
		{"a listed term", "3", known, false},
		{"a term QuickBooks does not list", "9", known, true},
		{"a company without terms", "3", []Term{}, true},
		{"terms not known", "9", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			d.Terms = tt.term
			err := ValidateTerm(d, tt.terms)
			var ve *ValidationError
			switch {
			case !tt.refused && err != nil:
				t.Errorf("ValidateTerm = %v, want nil", err)
			case tt.refused && (!errors.As(err, &ve) || len(ve.Issues) != 1 || ve.Issues[0].Field != "terms" || ve.Issues[0].Code != TermUnknown):
				t.Errorf("ValidateTerm = %v, want one unknown-term issue on terms", err)
			}
		})
	}
}

func TestServiceReadsTermsOnce(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.acct.setOffline(true)
	if _, err := h.svc.Terms(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline Terms: %v, want ErrOffline", err)
	}
	h.acct.setOffline(false)
	for range 2 {
		terms, err := h.svc.Terms(ctx)
		if err != nil || len(terms) != 3 || terms[1] != (Term{ID: "3", Name: "Net 30", DueDays: 30}) {
			t.Fatalf("Terms = %+v, %v; want the three terms of QuickBooks", terms, err)
		}
	}
	if n := h.acct.count("Terms"); n != 2 {
		t.Errorf("terms read %d times (once offline, then twice online); want 2", n)
	}
	h.svc.ReloadQuickBooks()
	if _, err := h.svc.Terms(ctx); err != nil || h.acct.count("Terms") != 3 {
		t.Errorf("after reload: %v, terms read %d times; want read again", err, h.acct.count("Terms"))
	}
}

func TestBuildDraftStartsWithoutTerm(t *testing.T) {
	h := newHarness(t)
	d := h.draft(t)
	if d.Terms != "" || d.DueDate != NewDate(2026, time.March, 20) {
		t.Errorf("draft terms %q, due %s; want none, due 7 days after 13 March as the preferences say", d.Terms, d.DueDate)
	}
	if n := h.acct.count("Terms"); n != 0 {
		t.Errorf("building a draft read the terms %d times; it needs none", n)
	}
}

func TestCreateInvoiceWithTerm(t *testing.T) {
	ctx := context.Background()
	t.Run("a listed term is sent", func(t *testing.T) {
		h := newHarness(t)
		d := h.draft(t)
		d.Terms = "3"
		d.DueDate, _ = Term{DueDays: 30}.DueDate(d.IssueDate)
		res, err := h.svc.CreateInvoice(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.acct.invoiceTerm(res.Invoice.ID); got != "3" || res.Invoice.DueDate != NewDate(2026, time.April, 12) {
			t.Errorf("invoice sent with term %q, due %s; want term 3, due 12 April", got, res.Invoice.DueDate)
		}
	})
	t.Run("an unknown term is refused before anything is sent", func(t *testing.T) {
		h := newHarness(t)
		d := h.draft(t)
		d.Terms = "9"
		_, err := h.svc.CreateInvoice(ctx, d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Issues[0].Code != TermUnknown {
			t.Errorf("err = %v, want the term refused", err)
		}
		if len(h.repo.allOutbox(t)) != 0 || h.acct.writes() != 0 {
			t.Error("a draft with an unknown term reached the outbox or QuickBooks")
		}
	})
	t.Run("offline the term is not judged", func(t *testing.T) {
		h := newHarness(t)
		d := h.draft(t)
		d.Terms = "9"
		h.acct.setOffline(true)
		res, err := h.svc.CreateInvoice(ctx, d)
		if err != nil || !res.Queued {
			t.Errorf("result %+v, %v; want queued, QuickBooks judges the term when it is sent", res, err)
		}
	})
	t.Run("no term reads no terms", func(t *testing.T) {
		h := newHarness(t)
		if _, err := h.svc.CreateInvoice(ctx, h.draft(t)); err != nil {
			t.Fatal(err)
		}
		if n := h.acct.count("Terms"); n != 0 {
			t.Errorf("terms read %d times for a draft without a term; want none", n)
		}
	})
}
