package invoicing

import (
	"context"
	"testing"
)

// queueOffline queues the seeded deal's invoice while QuickBooks and
// Pipedrive cannot be reached, and brings them back.
func queueOffline(t *testing.T, h *harness) CreateResult {
	t.Helper()
	d := h.draft(t)
	h.acct.setOffline(true)
	h.crm.setOffline(true)
	res, err := h.svc.CreateInvoice(context.Background(), d)
	if err != nil || !res.Queued {
		t.Fatalf("create offline = %+v, %v; want queued", res, err)
	}
	h.acct.setOffline(false)
	h.crm.setOffline(false)
	return res
}

// An entry another process holds is left to it: neither a QuickBooks write
// nor a note, and reported as being sent elsewhere, not as created. Once
// that process's lease runs out (it crashed), the entry is taken over.
func TestOutboxEntryLeasedElsewhereIsLeftUntilTheLeaseRunsOut(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	queued := queueOffline(t, h)
	now := h.clock.Now()
	if ok, err := h.repo.ClaimOutbox(ctx, queued.Entry.ID, "another process", now, now.Add(outboxLease)); err != nil || !ok {
		t.Fatalf("the other process's claim = %v, %v", ok, err)
	}
	writes := h.acct.writes()

	r, err := h.svc.Resume(ctx)
	if err != nil || r != (ResumeResult{Elsewhere: 1}) {
		t.Errorf("Resume = %+v, %v; want 1 being sent elsewhere", r, err)
	}
	res, err := h.svc.CreateInvoice(ctx, queued.Draft)
	if err != nil || !res.Elsewhere || res.Queued || res.Entry.ID != queued.Entry.ID {
		t.Errorf("CreateInvoice again = %+v, %v; want the same entry, being sent elsewhere", res, err)
	}
	if h.acct.writes() != writes || len(h.crm.dealNotes(dealID)) != 0 {
		t.Errorf("%d QuickBooks writes and %d notes while another process held the entry; want none",
			h.acct.writes()-writes, len(h.crm.dealNotes(dealID)))
	}

	h.clock.Advance(outboxLease)
	r, err = h.svc.Resume(ctx)
	if err != nil || r != (ResumeResult{Created: 1}) {
		t.Errorf("Resume after the lease ran out = %+v, %v; want 1 created", r, err)
	}
	if h.acct.numInvoices() != 1 || len(h.crm.dealNotes(dealID)) != 1 {
		t.Errorf("%d invoices, %d notes; want one each", h.acct.numInvoices(), len(h.crm.dealNotes(dealID)))
	}
	if len(h.repo.leases) != 0 {
		t.Errorf("leases left after the run: %v", h.repo.leases)
	}
}

// Two Services over one database (the window and a command) resume the
// same entry at once: the second finds it being sent, so QuickBooks gets one
// invoice, the deal one note, and only one of them reports it created.
func TestTwoServicesResumingAtOnceSendAndReportOnce(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	queueOffline(t, h)
	window, command := h.svc, h.newService()

	inStep, release := make(chan struct{}), make(chan struct{})
	h.acct.setOnCall("CreateCustomer", func() {
		close(inStep)
		<-release
	})
	done := make(chan ResumeResult)
	go func() {
		r, err := window.Resume(ctx)
		if err != nil {
			t.Error(err)
		}
		done <- r
	}()
	<-inStep
	r, err := command.Resume(ctx)
	if err != nil || r != (ResumeResult{Elsewhere: 1}) {
		t.Errorf("the command's Resume while the window sends = %+v, %v; want 1 being sent elsewhere", r, err)
	}
	close(release)
	if r := <-done; r != (ResumeResult{Created: 1}) {
		t.Errorf("the window's Resume = %+v; want 1 created", r)
	}
	h.acct.setOnCall("CreateCustomer", nil)
	if r, err := command.Resume(ctx); err != nil || r != (ResumeResult{}) {
		t.Errorf("the command's Resume afterwards = %+v, %v; want nothing to do", r, err)
	}
	if h.acct.numInvoices() != 1 || len(h.crm.dealNotes(dealID)) != 1 {
		t.Errorf("%d invoices, %d notes; want one each", h.acct.numInvoices(), len(h.crm.dealNotes(dealID)))
	}
}
