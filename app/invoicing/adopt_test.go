package invoicing

import (
	"context"
	"errors"
	"slices"
	"testing"

	"dealbooks/internal/testkit"
)

// existing puts an invoice into QuickBooks as if made there, outside Dealbooks.
func (f *fakeAccounting) existing(inv Invoice) Invoice {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv.SyncToken, inv.UpdatedAt = "0", f.now()
	f.invoices = append(f.invoices, &inv)
	return inv
}

// adoptable puts three invoices made in QuickBooks into the fake: open, paid and e-mailed.
func adoptable(h *harness) []Invoice {
	due := h.svc.today().AddDays(30)
	return []Invoice{
		h.acct.existing(Invoice{ID: "900", DocNumber: "Q-900", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("100"), Balance: testkit.Dec("100")}),
		h.acct.existing(Invoice{ID: "901", DocNumber: "Q-901", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("200"), Balance: testkit.Dec("0")}),
		h.acct.existing(Invoice{ID: "902", DocNumber: "Q-902", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("300"), Balance: testkit.Dec("300"), EmailStatus: "EmailSent"}),
	}
}

func TestAdoptInvoicesShowsThemInTheDealsHistory(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	invs := adoptable(h)

	if err := h.svc.AdoptInvoices(ctx, 42, []string{"900", "901", "902"}); err != nil {
		t.Fatal(err)
	}
	if n := h.acct.count("InvoicesByIDs"); n != 1 {
		t.Errorf("adopting read QuickBooks %d times, want once", n)
	}
	want := map[string]Status{"900": {State: Open}, "901": {State: Paid}, "902": {State: Open, Sent: true}}
	for _, q := range []HistoryQuery{{DealID: 42}, {}} {
		hist, err := h.svc.History(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist.Items) != len(invs) {
			t.Fatalf("history %+v lists %d invoices, want %d", q, len(hist.Items), len(invs))
		}
		for _, it := range hist.Items {
			if it.DealID != 42 || it.Status != want[it.Invoice.ID] || !it.FetchedAt.Equal(h.clock.Now()) {
				t.Errorf("history %+v: invoice %s of deal %d is %v fetched %v, want deal 42, %v", q, it.Invoice.ID, it.DealID, it.Status, it.FetchedAt, want[it.Invoice.ID])
			}
		}
		if len(hist.Outstanding) != 1 || !hist.Outstanding[0].Amount.Equal(testkit.Dec("400")) {
			t.Errorf("history %+v: outstanding %v, want 400 GBP", q, hist.Outstanding)
		}
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: dealID}); len(hist.Items) != 0 {
		t.Errorf("another deal's history lists %d invoices", len(hist.Items))
	}
}

func TestAdoptInvoicesRefusesInvoicesQuickBooksDoesNotHave(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	adoptable(h)
	h.acct.editInvoice("901", func(inv *Invoice) { inv.Deleted = true })

	err := h.svc.AdoptInvoices(ctx, 42, []string{"900", "901", "77", "77"})
	var unknown *UnknownInvoicesError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.IDs, []string{"901", "77"}) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want an UnknownInvoicesError naming 901 and 77", err)
	}
	if cached, _ := h.repo.Invoices(ctx, 0); len(cached) != 0 {
		t.Errorf("%d invoices were linked although the call was refused", len(cached))
	}
}

func TestAdoptInvoicesMovesAnInvoiceToTheDeal(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	made := h.created(t)
	before, err := h.repo.Invoice(ctx, made.ID)
	if err != nil || before.DealID != dealID || before.NoteID == 0 {
		t.Fatalf("the created invoice is cached as %+v (%v), want deal %d with a note", before, err, dealID)
	}

	// Linked again to its own deal, it keeps the note written for it.
	if err := h.svc.AdoptInvoices(ctx, dealID, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	if again, _ := h.repo.Invoice(ctx, made.ID); again.NoteID != before.NoteID {
		t.Errorf("relinking lost the note: %d, want %d", again.NoteID, before.NoteID)
	}

	if err := h.svc.AdoptInvoices(ctx, 42, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: dealID}); len(hist.Items) != 0 {
		t.Errorf("the invoice still shows in deal %d's history", dealID)
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: 42}); len(hist.Items) != 1 || hist.Items[0].Invoice.ID != made.ID {
		t.Errorf("deal 42's history = %+v, want invoice %s", hist.Items, made.ID)
	}
}

func TestRefreshFollowsAdoptedInvoices(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	invs := adoptable(h)
	if err := h.svc.AdoptInvoices(ctx, 42, []string{invs[0].ID}); err != nil {
		t.Fatal(err)
	}
	h.acct.pay(invs[0].ID, invs[0].Total, true)

	res, err := h.svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 1 || len(res.NewlyPaid) != 1 || res.NewlyPaid[0].DealID != 42 {
		t.Errorf("refresh = %+v, want the adopted invoice newly paid for deal 42", res)
	}
}

func TestAdoptInvoicesWithNothingToAdopt(t *testing.T) {
	h := newHarness(t)
	if err := h.svc.AdoptInvoices(context.Background(), 42, nil); err != nil {
		t.Fatal(err)
	}
	if n := h.acct.count("InvoicesByIDs"); n != 0 {
		t.Errorf("adopting nothing asked QuickBooks %d times", n)
	}
	if err := h.svc.AdoptInvoices(context.Background(), 0, []string{"1"}); err == nil {
		t.Error("invoices were linked to no deal")
	}
}

func TestAdoptInvoicesOffline(t *testing.T) {
	h := newHarness(t)
	adoptable(h)
	h.acct.setOffline(true)
	if err := h.svc.AdoptInvoices(context.Background(), 42, []string{"900"}); !errors.Is(err, ErrOffline) {
		t.Errorf("err = %v, want ErrOffline", err)
	}
}
