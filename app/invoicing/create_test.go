package invoicing

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"dealbooks/internal/testkit"
)

// linkAcme gives the seeded organization a linked QuickBooks customer, 42,
// whose e-mail and tax ID differ from Pipedrive's.
func linkAcme(h *harness) {
	h.acct.addCustomer(QBCustomer{ID: "42", DisplayName: "Acme Ltd", Email: "old@acme.test",
		Address: "1 HIGH ST,  london", TaxID: "XXXXXX99999", Currency: "GBP"})
	acme := PartyRef{EntityOrganization, 100}
	h.repo.links[acme] = []CustomerLink{{Party: acme, Currency: "GBP", CustomerID: "42"}}
}

func TestCreateInvoice(t *testing.T) {
	tests := []struct {
		name          string
		linked        bool
		update        bool
		wantWrites    map[string]int
		wantCustomers int
		wantEmail     string // the QuickBooks customer's e-mail afterwards
	}{
		{
			name: "new customer", wantCustomers: 1, wantEmail: "jane@acme.test",
			wantWrites: map[string]int{"CreateCustomer": 1, "CreateInvoice": 1},
		},
		{
			name: "linked customer", linked: true, wantCustomers: 1, wantEmail: "old@acme.test",
			wantWrites: map[string]int{"CreateInvoice": 1},
		},
		{
			name: "linked customer updated", linked: true, update: true, wantCustomers: 1, wantEmail: "jane@acme.test",
			wantWrites: map[string]int{"UpdateCustomer": 1, "CreateInvoice": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.linked {
				linkAcme(h)
			}
			d := h.draft(t)
			d.Customer.UpdateInQuickBooks = tt.update
			ctx := context.Background()
			if err := h.svc.SaveDraft(ctx, d); err != nil {
				t.Fatal(err)
			}
			res, err := h.svc.CreateInvoice(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range writeOps {
				if got := h.acct.count(op); got != tt.wantWrites[op] {
					t.Errorf("%s called %d times, want %d", op, got, tt.wantWrites[op])
				}
			}
			if res.Queued || res.Entry.State != OutboxDone || res.Invoice.ID == "" || res.NoteErr != nil {
				t.Errorf("result = %+v; want done with an invoice", res)
			}
			if !res.Invoice.Total.Equal(testkit.Dec("945")) || res.Invoice.DocNumber != "1001" {
				t.Errorf("invoice %s total %s, want 1001 for 945", res.Invoice.DocNumber, res.Invoice.Total)
			}
			if h.acct.numCustomers() != tt.wantCustomers || h.acct.numInvoices() != 1 {
				t.Errorf("%d customers, %d invoices; want %d and 1", h.acct.numCustomers(), h.acct.numInvoices(), tt.wantCustomers)
			}
			qc, err := h.acct.Customer(ctx, res.Draft.Customer.LinkedID)
			if err != nil || qc.Email != tt.wantEmail {
				t.Errorf("customer %+v (%v), want e-mail %s", qc, err, tt.wantEmail)
			}
			links, _ := h.repo.CustomerLinks(ctx, PartyRef{EntityOrganization, 100})
			if len(links) != 1 || links[0].CustomerID != qc.ID || links[0].Currency != "GBP" {
				t.Errorf("links = %+v, want one GBP link to %s", links, qc.ID)
			}
			hist, err := h.svc.History(ctx, HistoryQuery{DealID: dealID})
			if err != nil || len(hist.Items) != 1 || hist.Items[0].Invoice.ID != res.Invoice.ID || hist.Items[0].Status.State != Open {
				t.Errorf("deal history = %+v (%v), want the new open invoice", hist.Items, err)
			}
			if _, err := h.repo.Draft(ctx, dealID); !errors.Is(err, ErrNotFound) {
				t.Errorf("saved draft still there after creating (%v)", err)
			}
			notes := h.crm.dealNotes(dealID)
			if len(notes) != 1 || !strings.Contains(notes[0], "<b>1001</b>") || !strings.Contains(notes[0], "945.00 GBP") ||
				!strings.Contains(notes[0], "due 2026-03-20") || !strings.Contains(notes[0], `href="`+h.acct.InvoiceURL(res.Invoice.ID)+`"`) {
				t.Errorf("notes = %q, want one with number, total, due date and link", notes)
			}
		})
	}
}

func TestCreateInvoiceUpdateWritesOnlyDifferences(t *testing.T) {
	h := newHarness(t)
	linkAcme(h)
	d := h.draft(t)
	d.Customer.UpdateInQuickBooks = true
	if _, err := h.svc.CreateInvoice(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	qc, _ := h.acct.Customer(context.Background(), "42")
	// The address differs only in case and spacing: left alone.
	if qc.Address != "1 HIGH ST,  london" || qc.Email != "jane@acme.test" || qc.TaxID != "XXXXXX56789" {
		t.Errorf("customer after update = %+v", qc)
	}
}

func TestCreateInvoiceStaleCustomerRetriesOnce(t *testing.T) {
	h := newHarness(t)
	linkAcme(h)
	stale := true
	h.acct.setOnCall("UpdateCustomer", func() {
		if stale { // someone edits the customer between our read and our write
			stale = false
			bump(&h.acct.customerByID("42").SyncToken)
		}
	})
	d := h.draft(t)
	d.Customer.UpdateInQuickBooks = true
	if _, err := h.svc.CreateInvoice(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	ids := h.acct.ids("UpdateCustomer")
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("update request ids %v; want two different ones (QuickBooks replays the stale answer)", ids)
	}
	// The first attempt uses the SyncToken of the customer list read for matching; only the retry reads.
	if n := h.acct.count("Customer"); n != 1 {
		t.Errorf("customer read %d times, want 1 (the re-read after the stale answer)", n)
	}
	if qc, _ := h.acct.Customer(context.Background(), "42"); qc.Email != "jane@acme.test" || h.acct.numInvoices() != 1 {
		t.Errorf("customer %+v, %d invoices", qc, h.acct.numInvoices())
	}
}

func TestCreateInvoiceRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("invalid draft sends nothing", func(t *testing.T) {
		h := newHarness(t)
		d := h.draft(t)
		d.Lines = nil
		_, err := h.svc.CreateInvoice(ctx, d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Issues[0].Code != LinesMissing {
			t.Errorf("err = %v, want lines missing", err)
		}
		if len(h.repo.allOutbox(t)) != 0 || h.acct.writes() != 0 {
			t.Error("an invalid draft reached the outbox or QuickBooks")
		}
	})
	t.Run("line without item and no default item", func(t *testing.T) {
		h := newHarness(t)
		h.repo.prefs.DefaultItemID = ""
		d := h.draft(t)
		_, err := h.svc.CreateInvoice(ctx, d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Issues[0].Code != ItemMissing || ve.Issues[0].Field != "lines[1].item" {
			t.Errorf("err = %v, want the hosting line's item missing", err)
		}
	})
	t.Run("customer name taken", func(t *testing.T) {
		h := newHarness(t)
		h.acct.addCustomer(QBCustomer{ID: "77", DisplayName: "ACME LTD", Currency: "USD"})
		d := h.draft(t)
		d.Customer.To = "Acme Ltd" // the rep removed the currency suffix
		res, err := h.svc.CreateInvoice(ctx, d)
		var dn *DuplicateNameError
		if !errors.As(err, &dn) || dn.ExistingID != "77" {
			t.Fatalf("err = %v, want a duplicate name naming customer 77", err)
		}
		if res.Entry.State != OutboxFailed || res.Entry.LastError == "" || h.acct.numInvoices() != 0 {
			t.Errorf("entry %+v; want failed with the reason, no invoice", res.Entry)
		}
		if n, _ := h.svc.QueuedCount(ctx); n != 0 {
			t.Errorf("%d queued; a refused invoice is not queued", n)
		}
	})
	t.Run("invoice number used", func(t *testing.T) {
		h := newHarness(t)
		h.repo.prefs.Numbering = Numbering{Mode: NumberPrefix, Prefix: "PD-", Next: 1}
		first := h.created(t)
		d := h.draft(t)
		d.InvoiceNumber = first.DocNumber
		d.Customer.LinkedID = ""
		d.Customer.To = "Beta Ltd"
		res, err := h.svc.CreateInvoice(ctx, d)
		var dd *DuplicateNumberError
		if !errors.As(err, &dd) || dd.ExistingID != first.ID || dd.Number != "PD-1" {
			t.Fatalf("err = %v, want number PD-1 used by invoice %s", err, first.ID)
		}
		if res.Draft.Customer.LinkedID == "" {
			t.Error("the draft kept after the refusal does not know the customer just created")
		}
		res.Draft.InvoiceNumber = "PD-2"
		if _, err := h.svc.CreateInvoice(ctx, res.Draft); err != nil {
			t.Fatal(err)
		}
		if h.acct.numCustomers() != 2 || h.acct.numInvoices() != 2 {
			t.Errorf("%d customers, %d invoices; want 2 and 2", h.acct.numCustomers(), h.acct.numInvoices())
		}
		if !strings.Contains(Explain(err), "PD-1") {
			t.Errorf("Explain(%v) = %q, want the number named", err, Explain(err))
		}
	})
}

func TestCreateInvoiceNumberingAndNote(t *testing.T) {
	h := newHarness(t)
	h.repo.prefs.Numbering = Numbering{Mode: NumberPrefix, Prefix: "R&D<", Next: 7}
	inv := h.created(t)
	if inv.DocNumber != "R&D<7" || h.repo.prefs.Numbering.Next != 8 {
		t.Errorf("number %q, next %d; want R&D<7 and 8", inv.DocNumber, h.repo.prefs.Numbering.Next)
	}
	if d := h.draft(t); d.InvoiceNumber != "R&D<8" {
		t.Errorf("next draft number %q, want R&D<8", d.InvoiceNumber)
	}
	notes := h.crm.dealNotes(dealID)
	if len(notes) != 1 || !strings.Contains(notes[0], "<b>R&amp;D&lt;7</b>") {
		t.Errorf("notes = %q, want the number HTML-escaped", notes)
	}

	h.repo.prefs.WriteNote = false
	h.created(t)
	if n := len(h.crm.dealNotes(dealID)); n != 1 {
		t.Errorf("%d notes with notes turned off, want still 1", n)
	}
}

func TestCreateInvoiceNoteFailureKeepsInvoice(t *testing.T) {
	h := newHarness(t)
	d := h.draft(t)
	h.crm.setOffline(true)
	res, err := h.svc.CreateInvoice(context.Background(), d)
	if err != nil || res.Invoice.ID == "" || !errors.Is(res.NoteErr, ErrOffline) || res.Entry.State != OutboxSent {
		t.Fatalf("result %+v, %v; want the invoice, the note pending", res, err)
	}
	h.crm.setOffline(false)
	r, err := h.svc.Resume(context.Background())
	if err != nil || r.Created != 0 || len(h.crm.dealNotes(dealID)) != 1 || h.acct.numInvoices() != 1 {
		t.Errorf("resume %+v, %v; notes %d; want the note written, no new invoice", r, err, len(h.crm.dealNotes(dealID)))
	}
}

// The exactly-once cases: lost answers, crashes and no network.

func TestCreateInvoiceLostAnswerIsRetriedWithSameRequestID(t *testing.T) {
	for _, op := range []string{"CreateCustomer", "CreateInvoice"} {
		t.Run(op, func(t *testing.T) {
			h := newHarness(t)
			h.acct.setDrop(op, 1)
			res, err := h.svc.CreateInvoice(context.Background(), h.draft(t))
			if err != nil || res.Queued {
				t.Fatalf("result %+v, %v", res, err)
			}
			ids := h.acct.ids(op)
			if len(ids) != 2 || ids[0] != ids[1] {
				t.Errorf("%s request ids %v, want the same one twice", op, ids)
			}
			if h.acct.numCustomers() != 1 || h.acct.numInvoices() != 1 {
				t.Errorf("%d customers, %d invoices; want exactly one each", h.acct.numCustomers(), h.acct.numInvoices())
			}
		})
	}
}

func TestCreateInvoiceLostAnswersQueueThenResume(t *testing.T) {
	h := newHarness(t)
	h.acct.setDrop("CreateInvoice", 2) // committed, both answers lost
	ctx := context.Background()
	res, err := h.svc.CreateInvoice(ctx, h.draft(t))
	if err != nil || !res.Queued || res.Entry.State != OutboxCustomerDone {
		t.Fatalf("result %+v, %v; want queued after the customer", res, err)
	}
	r, err := h.svc.Resume(ctx)
	if err != nil || r.Created != 1 || r.Queued != 0 {
		t.Errorf("resume = %+v, %v; want 1 created", r, err)
	}
	if h.acct.numInvoices() != 1 {
		t.Errorf("%d invoices, want exactly 1", h.acct.numInvoices())
	}
}

func TestCreateInvoiceCrashResumes(t *testing.T) {
	tests := []struct {
		name string
		op   string // the write after whose commit the app dies
		drop bool   // and its answer never arrived
	}{
		{"after the customer, answer received", "CreateCustomer", false},
		{"after the customer, answer lost", "CreateCustomer", true},
		{"after the invoice, answer lost", "CreateInvoice", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			ctx, crash := context.WithCancel(context.Background())
			h.acct.setAfter(tt.op, crash)
			if tt.drop {
				h.acct.setDrop(tt.op, 1)
			}
			if _, err := h.svc.CreateInvoice(ctx, h.draft(t)); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want the crash (context cancelled)", err)
			}
			h.acct.setAfter(tt.op, nil)

			restarted := h.newService()
			r, err := restarted.Resume(context.Background())
			if err != nil || r.Created != 1 {
				t.Fatalf("resume = %+v, %v; want 1 created", r, err)
			}
			if h.acct.numCustomers() != 1 || h.acct.numInvoices() != 1 {
				t.Errorf("%d customers, %d invoices; want exactly one each", h.acct.numCustomers(), h.acct.numInvoices())
			}
			if r, _ := restarted.Resume(context.Background()); r.Created != 0 || h.acct.numInvoices() != 1 {
				t.Errorf("second resume created more: %+v", r)
			}
		})
	}
}

func TestCreateInvoiceOfflineQueuesThenSendsOnce(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := h.draft(t)
	h.acct.setOffline(true)
	h.crm.setOffline(true)
	res, err := h.svc.CreateInvoice(ctx, d)
	if err != nil || !res.Queued || res.Entry.State != OutboxQueued {
		t.Fatalf("result %+v, %v; want queued", res, err)
	}
	if again, err := h.svc.CreateInvoice(ctx, d); err != nil || again.Entry.ID != res.Entry.ID {
		t.Errorf("pressing Create again queued %+v (%v), want the same entry", again.Entry, err)
	}
	if n, _ := h.svc.QueuedCount(ctx); n != 1 {
		t.Errorf("queued count %d, want 1", n)
	}
	hist, _ := h.svc.History(ctx, HistoryQuery{DealID: dealID})
	if len(hist.Items) != 1 || hist.Items[0].Status.State != Queued || hist.Items[0].OutboxID == 0 || !hist.Items[0].Invoice.Total.Equal(ComputeTotals(d).Total) {
		t.Errorf("history %+v; want the queued invoice with its total", hist.Items)
	}
	if r, err := h.svc.Resume(ctx); err != nil || r.Queued != 1 || r.Created != 0 {
		t.Errorf("resume while offline = %+v, %v; want still 1 queued", r, err)
	}

	h.acct.setOffline(false)
	h.crm.setOffline(false)
	// Two resumes at once (app start and network back) still send it once.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.svc.Resume(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if h.acct.numInvoices() != 1 || h.acct.numCustomers() != 1 || len(h.crm.dealNotes(dealID)) != 1 {
		t.Errorf("%d invoices, %d customers, %d notes; want exactly one each",
			h.acct.numInvoices(), h.acct.numCustomers(), len(h.crm.dealNotes(dealID)))
	}
	if n, _ := h.svc.QueuedCount(ctx); n != 0 {
		t.Errorf("queued %d, want 0", n)
	}
	e := h.repo.allOutbox(t)[0]
	if e.State != OutboxDone || !e.CreatedAt.Equal(h.clock.Now()) || e.LastError != "" {
		t.Errorf("outbox entry %+v; want done, created now, no error", e)
	}
}

func TestOutboxDraftSurvivesJSON(t *testing.T) {
	h := newHarness(t)
	d := h.draft(t)
	d.Customer.UpdateInQuickBooks = true
	h.acct.setOffline(true)
	if _, err := h.svc.CreateInvoice(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	e := h.repo.allOutbox(t)[0]
	got := e.Draft
	if got.Customer != d.Customer || got.IssueDate != d.IssueDate || !got.Lines[0].Discount.Value.Equal(testkit.Dec("10")) ||
		got.Tax.Model != d.Tax.Model || got.Tax.Calculation != d.Tax.Calculation || !ComputeTotals(got).Total.Equal(ComputeTotals(d).Total) {
		t.Errorf("outbox draft %+v\nwant %+v", got, d)
	}
	if len(e.CustomerRequestID) > 50 || e.CustomerRequestID == e.InvoiceRequestID {
		t.Errorf("request ids %q %q; want distinct, at most 50 characters", e.CustomerRequestID, e.InvoiceRequestID)
	}
}
