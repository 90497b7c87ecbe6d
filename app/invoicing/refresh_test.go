package invoicing

import (
	"context"
	"errors"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

// refreshed creates n invoices and refreshes once, so the next refresh
// can use change data capture; it returns the invoices.
func refreshed(t *testing.T, h *harness, n int) []Invoice {
	t.Helper()
	var invs []Invoice
	for range n {
		invs = append(invs, h.created(t))
	}
	h.clock.Advance(time.Hour)
	if _, err := h.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	return invs
}

// requests counts QuickBooks reads of invoices.
func requests(h *harness) (cdc, byID int) {
	return h.acct.count("Changes"), h.acct.count("InvoicesByIDs")
}

func cachedStatus(t *testing.T, h *harness, id string) Status {
	t.Helper()
	ci, err := h.repo.Invoice(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ci.Status
}

func TestRefreshOneRequest(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 3)
	cdc0, byID0 := requests(h)
	h.acct.pay(invs[0].ID, invs[0].Total, true)
	h.acct.editInvoice(invs[1].ID, func(inv *Invoice) { inv.Deleted = true })

	res, err := h.svc.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cdc, byID := requests(h); cdc-cdc0 != 1 || byID-byID0 != 0 {
		t.Errorf("refresh used %d CDC and %d by-id requests, want 1 and 0", cdc-cdc0, byID-byID0)
	}
	if res.Changed != 2 || len(res.NewlyPaid) != 1 || res.NewlyPaid[0].Invoice.ID != invs[0].ID || len(res.NewlyOverdue) != 0 {
		t.Errorf("result %+v; want 2 changed, invoice %s newly paid", res, invs[0].ID)
	}
	if st := cachedStatus(t, h, invs[1].ID); st.State != Deleted {
		t.Errorf("deleted invoice shows %v", st)
	}
	if !res.UpdatedAt.Equal(h.clock.Now()) {
		t.Errorf("updated at %v, want the CDC answer's time %v", res.UpdatedAt, h.clock.Now())
	}

	again, err := h.svc.Refresh(context.Background())
	if err != nil || len(again.NewlyPaid) != 0 {
		t.Errorf("second refresh %+v, %v; the payment is not news twice", again, err)
	}
}

func TestRefreshCountsADeletionOnce(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 1)
	h.acct.editInvoice(invs[0].ID, func(inv *Invoice) { inv.Deleted = true })
	if res, err := h.svc.Refresh(context.Background()); err != nil || res.Changed != 1 {
		t.Fatalf("refresh after the deletion = %+v, %v; want 1 changed", res, err)
	}
	// The next refresh's window starts a little before the last one, so the deletion is reported again.
	h.clock.Advance(time.Minute)
	if res, err := h.svc.Refresh(context.Background()); err != nil || res.Changed != 0 {
		t.Errorf("refresh reporting the deletion again = %+v, %v; want nothing changed", res, err)
	}
	if st := cachedStatus(t, h, invs[0].ID); st.State != Deleted {
		t.Errorf("deleted invoice shows %v", st)
	}
}

func TestRefreshPaymentOnlyRereadsItsInvoice(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 2)
	cdc0, byID0 := requests(h)
	h.acct.pay(invs[1].ID, testkit.Dec("100"), false)

	if _, err := h.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if cdc, byID := requests(h); cdc-cdc0 != 1 || byID-byID0 != 1 {
		t.Errorf("refresh used %d CDC and %d by-id requests, want 1 and 1", cdc-cdc0, byID-byID0)
	}
	if st := cachedStatus(t, h, invs[1].ID); st.State != PartiallyPaid {
		t.Errorf("paid-in-part invoice shows %v", st)
	}
}

func TestRefreshAfterThirtyDaysReadsByID(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 2)
	h.acct.editInvoice(invs[0].ID, func(inv *Invoice) { inv.Deleted = true })
	h.clock.Advance(31 * 24 * time.Hour)
	cdc0, byID0 := requests(h)

	res, err := h.svc.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cdc, byID := requests(h); cdc-cdc0 != 0 || byID-byID0 != 1 {
		t.Errorf("refresh used %d CDC and %d by-id requests, want 0 and 1", cdc-cdc0, byID-byID0)
	}
	if st := cachedStatus(t, h, invs[0].ID); st.State != Deleted {
		t.Errorf("invoice gone from QuickBooks shows %v, want Deleted", st)
	}
	if len(res.NewlyOverdue) != 1 || res.NewlyOverdue[0].Invoice.ID != invs[1].ID {
		t.Errorf("newly overdue %+v, want invoice %s (due 20 March, now April)", res.NewlyOverdue, invs[1].ID)
	}
}

func TestRefreshReportsOverdueOnce(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 1)
	h.clock.Advance(7 * 24 * time.Hour) // due 20 March; now 20 March, 12:00
	if res, _ := h.svc.Refresh(context.Background()); len(res.NewlyOverdue) != 0 {
		t.Fatalf("due today is overdue: %+v", res)
	}
	h.clock.Advance(24 * time.Hour)
	res, err := h.svc.Refresh(context.Background())
	if err != nil || res.Changed != 0 || len(res.NewlyOverdue) != 1 || res.NewlyOverdue[0].Invoice.ID != invs[0].ID {
		t.Fatalf("refresh %+v, %v; want the unchanged invoice newly overdue", res, err)
	}
	if again, _ := h.svc.Refresh(context.Background()); len(again.NewlyOverdue) != 0 {
		t.Errorf("overdue reported twice: %+v", again)
	}
}

func TestRefreshOffline(t *testing.T) {
	h := newHarness(t)
	invs := refreshed(t, h, 1)
	before, _ := h.repo.SyncState(context.Background())
	h.acct.setOffline(true)
	if _, err := h.svc.Refresh(context.Background()); !errors.Is(err, ErrOffline) {
		t.Errorf("err = %v, want ErrOffline", err)
	}
	after, _ := h.repo.SyncState(context.Background())
	hist, err := h.svc.History(context.Background(), HistoryQuery{})
	if err != nil || len(hist.Items) != 1 || hist.Items[0].Invoice.ID != invs[0].ID || after != before {
		t.Errorf("offline history %+v, %v; sync state %v → %v", hist.Items, err, before, after)
	}
}
