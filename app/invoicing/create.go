package invoicing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// CreateResult is where an invoice creation stands.
type CreateResult struct {
	// Draft is the draft as it now stands: once the customer exists it is
	// linked to it, so a draft kept after a refusal does not create the
	// customer twice.
	Draft Draft
	Entry OutboxEntry
	// Invoice is the created invoice, once Entry.InQuickBooks().
	Invoice Invoice
	// Queued: QuickBooks could not be reached; the invoice waits in the
	// outbox and Resume sends it.
	Queued bool
	// NoteErr is why the note on the Pipedrive deal was not written, when
	// the invoice was created but the note was not.
	NoteErr error
	// Elsewhere: another Dealbooks (the window, or a command) is sending
	// this entry right now; this call did nothing to it. Entry is the
	// entry as last stored, which that process finishes.
	Elsewhere bool

	// sent: this call put the invoice into QuickBooks.
	sent bool
}

// CreateInvoice sends the draft to QuickBooks exactly once.
//
// The draft is checked first (a *ValidationError changes nothing), its
// payment term against QuickBooks' terms when they can be read. Then,
// before any network call, the draft and fresh request ids for the customer
// and invoice writes go into the outbox in one Repository call. The steps
// follow, each reloading the entry and reusing its stored request id: the
// customer (created, or updated when the draft asks for it), the invoice
// (stored in the invoice cache), the note on the Pipedrive deal. A step
// whose answer is lost is repeated once at once with the same request id,
// which QuickBooks answers with the original result.
//
// A deal that already has an invoice (created or queued, not deleted or
// voided) gets no second one unless the draft says Another: the error
// is then an *AlreadyInvoicedError naming the invoices, and nothing changes.
//
// Without network the result is Queued and the error nil: Resume finishes
// the entry later, and creating the same draft again meanwhile continues
// the queued entry instead of queueing a second invoice. A refusal by QuickBooks (*ProviderError,
// *DuplicateNameError, *DuplicateNumberError, ErrStale) marks the entry
// failed and is returned; the rep corrects the draft and creates again.
func (s *Service) CreateInvoice(ctx context.Context, d Draft) (CreateResult, error) {
	company, err := s.Company(ctx)
	if err != nil {
		return CreateResult{Draft: d}, err
	}
	prefs, err := s.preferences(ctx)
	if err != nil {
		return CreateResult{Draft: d}, err
	}
	d = WithDefaultItem(d, prefs.DefaultItemID)
	var terms []Term
	if d.Terms != "" {
		if terms, err = offlineIsEmpty(s.Terms(ctx)); err != nil {
			return CreateResult{Draft: d}, err
		}
	}
	if err := CheckDraft(d, company, terms); err != nil {
		return CreateResult{Draft: d}, err
	}
	if err := s.rememberItems(ctx, d); err != nil {
		return CreateResult{Draft: d}, err
	}
	if err := s.rememberTaxCodes(ctx, d, prefs); err != nil {
		return CreateResult{Draft: d}, err
	}
	if id, err := s.queuedTwin(ctx, d); err != nil || id != 0 {
		if err != nil {
			return CreateResult{Draft: d}, err
		}
		return s.run(ctx, id)
	}
	if err := s.refuseSecondInvoice(ctx, d); err != nil {
		return CreateResult{Draft: d}, err
	}
	now := s.now()
	e := OutboxEntry{DealID: d.DealID, Draft: d, State: OutboxQueued, CreatedAt: now, UpdatedAt: now}
	if e.CustomerRequestID, err = newRequestID(); err != nil {
		return CreateResult{Draft: d}, err
	}
	if e.InvoiceRequestID, err = newRequestID(); err != nil {
		return CreateResult{Draft: d}, err
	}
	if e, err = s.repo.Enqueue(ctx, e); err != nil {
		return CreateResult{Draft: d}, fmt.Errorf("queue invoice: %w", err)
	}
	return s.run(ctx, e.ID)
}

// queuedTwin returns the id of an outbox entry for the same draft that is
// not in QuickBooks yet (the rep pressed Create again while it waited), or 0.
func (s *Service) queuedTwin(ctx context.Context, d Draft) (int64, error) {
	pending, err := s.repo.PendingOutbox(ctx)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	want, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("encode draft: %w", err)
	}
	for _, e := range pending {
		if e.DealID != d.DealID || e.InQuickBooks() {
			continue
		}
		if got, err := json.Marshal(e.Draft); err == nil && bytes.Equal(got, want) {
			return e.ID, nil
		}
	}
	return 0, nil
}

// WithDefaultItem returns d with itemID on every line that names no item, as CreateInvoice sends it; d's
// own lines are not changed. The editor checks the draft as typed through it and CheckDraft, so its
// messages are the ones Create would give.
func WithDefaultItem(d Draft, itemID string) Draft {
	d.Lines = slices.Clone(d.Lines)
	for i := range d.Lines {
		if d.Lines[i].ItemRef == "" {
			d.Lines[i].ItemRef = itemID
		}
	}
	return d
}

// CheckDraft is Validate and ValidateTerm plus the rule that every line has
// an item. terms nil means QuickBooks' terms are not known.
func CheckDraft(d Draft, c Company, terms []Term) error {
	var issues []Issue
	for _, err := range []error{Validate(d, c), ValidateTerm(d, terms)} {
		var ve *ValidationError
		if errors.As(err, &ve) {
			issues = append(issues, ve.Issues...)
		}
	}
	for i, l := range d.Lines {
		if l.ItemRef == "" {
			issues = append(issues, Issue{Field: linePath(i, "item"), Code: ItemMissing,
				Message: "choose a QuickBooks item for the line, or a default item in the preferences"})
		}
	}
	if len(issues) == 0 {
		return nil
	}
	return &ValidationError{Issues: issues}
}

// ResumeResult counts what Resume did.
type ResumeResult struct {
	Created   int // invoices now in QuickBooks
	Failed    int // entries QuickBooks refused
	Queued    int // entries still waiting for the network
	Elsewhere int // entries another Dealbooks is sending right now
}

// Resume finishes the outbox: entries left by a crash, a lost answer or a
// lost network. The app calls it at start and when the network returns. It
// stops at the first entry that finds the network still gone.
func (s *Service) Resume(ctx context.Context) (ResumeResult, error) {
	var r ResumeResult
	pending, err := s.repo.PendingOutbox(ctx)
	if err != nil {
		return r, fmt.Errorf("read outbox: %w", err)
	}
	for _, e := range pending {
		res, err := s.run(ctx, e.ID)
		switch {
		case err != nil && permanent(err):
			r.Failed++
			continue
		case err != nil:
			return r, err
		case res.Elsewhere:
			r.Elsewhere++
		case res.Queued:
			r.Queued, err = s.QueuedCount(ctx)
			return r, err
		case res.sent:
			r.Created++
		}
	}
	return r, nil
}

// QueuedCount returns how many invoices wait in the outbox for QuickBooks.
func (s *Service) QueuedCount(ctx context.Context) (int, error) {
	pending, err := s.repo.PendingOutbox(ctx)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	n := 0
	for _, e := range pending {
		if !e.InQuickBooks() {
			n++
		}
	}
	return n, nil
}

// outboxLease is how long a claim on an outbox entry lasts. The holder
// renews it every outboxLease/3 while a step runs, so it expires only when
// its process is gone (or stalled that long); then another may take over.
const outboxLease = time.Minute

// run takes the outbox entry id through its remaining steps. Before each
// step it claims the entry in the Repository, so no other process runs the
// same step meanwhile; an entry leased to another process is left to it
// (Elsewhere).
func (s *Service) run(ctx context.Context, id int64) (CreateResult, error) {
	s.outboxMu.Lock()
	defer s.outboxMu.Unlock()
	held := false
	defer func() {
		if held {
			// Let the next process in at once rather than after the lease.
			_ = s.repo.ReleaseOutbox(context.WithoutCancel(ctx), id, s.owner)
		}
	}()
	var sent bool
	for {
		ok, err := s.claim(ctx, id)
		if err != nil {
			return CreateResult{}, err
		}
		e, err := s.repo.OutboxEntry(ctx, id)
		if err != nil {
			return CreateResult{}, fmt.Errorf("read outbox entry %d: %w", id, err)
		}
		res := CreateResult{Draft: e.Draft, Entry: e, sent: sent}
		if !ok {
			res.Elsewhere = true
			return res, nil
		}
		held = true
		if !e.Pending() {
			return s.withInvoice(ctx, res)
		}
		noteStep := e.State == OutboxSent
		// A note step this run did not just reach by sending the invoice
		// may have written its note before a crash or a lost answer.
		lost, stepErr := s.leasedStep(ctx, &e, !sent)
		if lost {
			// Another process took the entry over while this one stalled:
			// its outcome is that process's to record.
			held = false
			res.Elsewhere = true
			return res, nil
		}
		e.UpdatedAt = s.now()
		e.LastError = ""
		if stepErr != nil {
			e.LastError = stepErr.Error()
		}
		switch {
		case stepErr == nil:
		case noteStep && permanent(stepErr):
			e.State = OutboxDone
		case permanent(stepErr):
			e.State = OutboxFailed
		}
		// Record the outcome even when ctx was cancelled mid-step.
		if err := s.repo.UpdateOutbox(context.WithoutCancel(ctx), e); err != nil {
			return res, fmt.Errorf("update outbox entry %d: %w", id, err)
		}
		sent = sent || (!noteStep && e.State == OutboxSent)
		res.Draft, res.Entry, res.sent = e.Draft, e, sent
		switch {
		case stepErr == nil:
			continue
		case noteStep:
			res.NoteErr = stepErr
			return s.withInvoice(ctx, res)
		case errors.Is(stepErr, ErrOffline):
			res.Queued = true
			return res, nil
		}
		return res, stepErr
	}
}

// claim leases the outbox entry to this Service for outboxLease.
func (s *Service) claim(ctx context.Context, id int64) (bool, error) {
	now := s.now()
	ok, err := s.repo.ClaimOutbox(ctx, id, s.owner, now, now.Add(outboxLease))
	if err != nil {
		return false, fmt.Errorf("claim outbox entry %d: %w", id, err)
	}
	return ok, nil
}

// leasedStep runs the next step of e while renewing its lease. lost
// reports that the lease went to another process meanwhile (this one
// stalled past it); the step's context is then cancelled.
func (s *Service) leasedStep(ctx context.Context, e *OutboxEntry, resumed bool) (lost bool, err error) {
	stepCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var lostLease atomic.Bool
	wg.Go(func() {
		t := time.NewTicker(outboxLease / 3)
		defer t.Stop()
		for {
			select {
			case <-stepCtx.Done():
				return
			case <-t.C:
				if ok, err := s.claim(stepCtx, e.ID); err == nil && !ok {
					lostLease.Store(true)
					cancel(errLeaseLost)
					return
				}
			}
		}
	})
	err = s.step(stepCtx, e, resumed)
	cancel(nil)
	wg.Wait()
	return lostLease.Load(), err
}

// errLeaseLost cancels a step whose outbox entry another process took over.
var errLeaseLost = errors.New("another Dealbooks took over this invoice")

// withInvoice adds the cached invoice of the entry to res, if there is one.
func (s *Service) withInvoice(ctx context.Context, res CreateResult) (CreateResult, error) {
	if res.Entry.InvoiceID == "" {
		return res, nil
	}
	ci, err := s.repo.Invoice(ctx, res.Entry.InvoiceID)
	if err != nil {
		return res, fmt.Errorf("read cached invoice %s: %w", res.Entry.InvoiceID, err)
	}
	res.Invoice = ci.Invoice
	return res, nil
}

// step runs the next step of e and records its outcome in e. resumed says
// an earlier run may have tried the step already.
func (s *Service) step(ctx context.Context, e *OutboxEntry, resumed bool) error {
	switch e.State {
	case OutboxQueued:
		return s.customerStep(ctx, e)
	case OutboxCustomerDone:
		return s.invoiceStep(ctx, e)
	case OutboxSent:
		return s.noteStep(ctx, e, resumed)
	}
	return fmt.Errorf("outbox entry %d: unexpected state %q", e.ID, e.State)
}

// retryOffline calls f, and once more when its answer was lost or the
// provider was out of reach. f must repeat exactly the same request.
func retryOffline[T any](f func() (T, error)) (T, error) {
	v, err := f()
	if errors.Is(err, ErrOffline) {
		return f()
	}
	return v, err
}

// customerStep creates the customer, or updates the linked one when the
// draft asks for it.
func (s *Service) customerStep(ctx context.Context, e *OutboxEntry) error {
	c := &e.Draft.Customer
	switch {
	case c.LinkedID == "":
		company, err := s.Company(ctx)
		if err != nil {
			return err
		}
		nc := NewCustomer{DisplayName: strings.TrimSpace(c.To), Email: c.Email, Address: c.Address, TaxID: c.TaxID}
		if company.MultiCurrency {
			nc.Currency = e.Draft.Currency
		}
		qc, err := retryOffline(func() (QBCustomer, error) {
			return s.acct.CreateCustomer(ctx, nc, e.CustomerRequestID)
		})
		if err != nil {
			return fmt.Errorf("create QuickBooks customer %q: %w", nc.DisplayName, err)
		}
		s.rememberCustomer(qc)
		c.LinkedID, c.LinkedCurrency = qc.ID, e.Draft.Currency
		if !c.Party.IsZero() {
			l := CustomerLink{Party: c.Party, Currency: e.Draft.Currency, CustomerID: qc.ID, DisplayName: qc.DisplayName}
			if err := s.repo.SaveCustomerLink(ctx, l); err != nil {
				return fmt.Errorf("save customer link: %w", err)
			}
			// The team links the same customer from now on. The invoice does not wait on Pipedrive:
			// when the field cannot be written the link stays on this computer, as before.
			_ = s.share(ctx, c.Party, qc.ID)
		}
		if err := s.repo.SaveDraft(ctx, e.Draft); err != nil {
			return fmt.Errorf("save draft of deal %d: %w", e.DealID, err)
		}
	case c.UpdateInQuickBooks:
		if err := s.updateCustomer(ctx, e); err != nil {
			return err
		}
	}
	e.CustomerID = c.LinkedID
	e.State = OutboxCustomerDone
	return nil
}

// updateCustomer writes the draft's customer details that differ to the
// linked customer. It starts from the customer as last read (the list read
// for matching carries its SyncToken), so the update costs one request. A
// stale SyncToken re-reads the customer and retries once, with a new request
// id stored first: QuickBooks would replay the stale answer to the old one.
func (s *Service) updateCustomer(ctx context.Context, e *OutboxEntry) error {
	c := e.Draft.Customer
	qc, err := s.findCustomer(ctx, c.LinkedID)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		ch := customerChanges(c, qc)
		if ch.IsZero() {
			return nil
		}
		updated, err := retryOffline(func() (QBCustomer, error) {
			return s.acct.UpdateCustomer(ctx, qc.ID, qc.SyncToken, ch, e.CustomerRequestID)
		})
		if errors.Is(err, ErrStale) && attempt == 1 {
			if e.CustomerRequestID, err = newRequestID(); err != nil {
				return err
			}
			if err := s.repo.UpdateOutbox(ctx, *e); err != nil {
				return fmt.Errorf("update outbox entry %d: %w", e.ID, err)
			}
			if qc, err = retryOffline(func() (QBCustomer, error) { return s.acct.Customer(ctx, c.LinkedID) }); err != nil {
				return fmt.Errorf("read QuickBooks customer %s: %w", c.LinkedID, err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("update QuickBooks customer %s: %w", qc.DisplayName, err)
		}
		s.rememberCustomer(updated)
		return nil
	}
}

// invoiceStep creates the invoice and caches it.
func (s *Service) invoiceStep(ctx context.Context, e *OutboxEntry) error {
	company, err := s.Company(ctx)
	if err != nil {
		return err
	}
	req := invoiceRequest(e.Draft, e.CustomerID, company)
	// The marker lets every rep's Dealbooks file the invoice under its deal (marker.go). The request id
	// makes a repeat return the original invoice, so a marker that differs on a retry changes nothing.
	if m, ok := s.marker(ctx, e.DealID); ok {
		req.PrivateNote = withMarker(req.PrivateNote, m)
	}
	inv, err := retryOffline(func() (Invoice, error) {
		return s.acct.CreateInvoice(ctx, req, e.InvoiceRequestID)
	})
	var dup *DuplicateNumberError
	if errors.As(err, &dup) && dup.Number == "" {
		dup.Number = req.DocNumber
	}
	if err != nil {
		return fmt.Errorf("create QuickBooks invoice: %w", err)
	}
	ci := CachedInvoice{Invoice: inv, DealID: e.DealID, Status: inv.Status(s.today()), FetchedAt: s.now()}
	ci.CreatedBy = s.markedCreator(ctx, inv)
	if err := s.repo.UpsertInvoices(ctx, []CachedInvoice{ci}); err != nil {
		return fmt.Errorf("cache invoice %s: %w", inv.ID, err)
	}
	e.InvoiceID = inv.ID
	e.State = OutboxSent
	if err := s.repo.DeleteDraft(ctx, e.DealID); err != nil {
		return fmt.Errorf("delete draft of deal %d: %w", e.DealID, err)
	}
	return s.advanceNumbering(ctx, inv.DocNumber)
}

// advanceNumbering moves our own numbering past number when it was the
// next number.
func (s *Service) advanceNumbering(ctx context.Context, number string) error {
	p, err := s.preferences(ctx)
	if err != nil {
		return err
	}
	if p.Numbering.Mode != NumberPrefix || number == "" || number != p.Numbering.number() {
		return nil
	}
	p.Numbering.Next++
	if err := s.repo.SavePreferences(ctx, p); err != nil {
		return fmt.Errorf("save next invoice number: %w", err)
	}
	return nil
}

// noteStep writes the note on the Pipedrive deal, when the preferences
// want one. It is not repeated at once: Pipedrive has no request id. When
// resumed, an earlier attempt may have written the note and died (or lost
// the answer) before recording it: a note on the deal linking to this
// invoice is then adopted instead of adding a second one.
func (s *Service) noteStep(ctx context.Context, e *OutboxEntry, resumed bool) error {
	p, err := s.preferences(ctx)
	if err != nil {
		return err
	}
	ci, err := s.repo.Invoice(ctx, e.InvoiceID)
	if err != nil {
		return fmt.Errorf("read cached invoice %s: %w", e.InvoiceID, err)
	}
	if t, ok := s.team(); ok {
		// The deal's fields show the new invoice whether or not a note is written; a failed write is
		// left for the invoice's next change.
		_ = s.writeDealFields(ctx, t, p.DealFields, e.DealID, []CachedInvoice{ci})
	}
	if !p.WriteNote || e.DealID == 0 {
		e.State = OutboxDone
		return nil
	}
	url := s.acct.InvoiceURL(ci.Invoice.ID)
	content := noteHTML(ci.Invoice, url)
	if _, ok := s.Rep(ctx); ok {
		// A team's note is the one statusNote rewrites in place as the status changes.
		content = statusNote(ci.Invoice, ci.Status, url, s.creator(ctx, ci), ci.LastChange)
	}
	var id int64
	if resumed {
		if id, err = s.writtenNote(ctx, e.DealID, url); err != nil {
			return err
		}
	}
	if id == 0 {
		if id, err = s.crm.AddNote(ctx, e.DealID, content); err != nil {
			return fmt.Errorf("write note on Pipedrive deal %d: %w", e.DealID, err)
		}
	}
	ci.NoteID = id
	if err := s.repo.UpsertInvoices(ctx, []CachedInvoice{ci}); err != nil {
		return fmt.Errorf("cache invoice %s: %w", ci.Invoice.ID, err)
	}
	e.NoteID = id
	e.State = OutboxDone
	return nil
}

// writtenNote returns the id of the note on the deal that links to the
// invoice at url, or 0 when there is none (or no link to look for).
func (s *Service) writtenNote(ctx context.Context, dealID int64, url string) (int64, error) {
	if url == "" {
		return 0, nil
	}
	n, _, err := s.findNote(ctx, dealID, url)
	return n.ID, err
}

// linksTo reports whether content holds url, raw or HTML-escaped, as a whole:
// the link to invoice 12 is not the link to invoice 123.
func linksTo(content, url string) bool {
	for _, u := range []string{html.EscapeString(url), url} {
		for rest := content; ; {
			i := strings.Index(rest, u)
			if i < 0 {
				break
			}
			rest = rest[i+len(u):]
			if rest == "" || !continuesURL(rest[0]) {
				return true
			}
		}
	}
	return false
}

// continuesURL reports whether c can continue a query value (an id).
func continuesURL(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("%+-._~", c) >= 0
}

// noteHTML is the note written on the deal: number, total, due date and a
// link, every value HTML-escaped.
func noteHTML(inv Invoice, url string) string {
	number := ""
	if inv.DocNumber != "" {
		number = " <b>" + html.EscapeString(inv.DocNumber) + "</b>"
	}
	due := ""
	if !inv.DueDate.IsZero() {
		due = ", due " + inv.DueDate.String()
	}
	total := Money{Amount: inv.Total, Currency: inv.Currency}.String()
	return fmt.Sprintf(`<p>QuickBooks invoice%s created: %s%s. <a href="%s">Open in QuickBooks</a></p>`,
		number, html.EscapeString(total), html.EscapeString(due), html.EscapeString(url))
}

// invoiceRequest turns the draft into the invoice to create for customerID.
func invoiceRequest(d Draft, customerID string, c Company) InvoiceRequest {
	t := ComputeTotals(d)
	req := InvoiceRequest{
		CustomerID:   customerID,
		IssueDate:    d.IssueDate,
		DueDate:      d.DueDate,
		Terms:        d.Terms,
		DocNumber:    d.InvoiceNumber,
		PrivateNote:  d.Memo,
		CustomerMemo: d.CustomerMemo,
		// What the rep typed goes on the invoice itself, whether or not the
		// customer record is updated: QuickBooks would print the customer's own.
		BillEmail:   d.Customer.Email,
		BillAddress: d.Customer.Address,
		Discount:    t.Discount,
	}
	if c.MultiCurrency {
		req.Currency = d.Currency
	}
	if d.Tax.Model == TaxUS {
		req.TxnTaxCode = d.Tax.TxnTaxCode
		req.ApplyTaxAfterDiscount = d.Tax.ApplyTaxAfterDiscount
	} else {
		req.GlobalTaxCalculation = d.Tax.Calculation
	}
	for i, l := range d.Lines {
		line := InvoiceLine{
			ItemID:      l.ItemRef,
			Description: l.Name,
			Quantity:    l.Quantity,
			UnitPrice:   t.Lines[i].UnitPrice,
			Amount:      t.Lines[i].Amount,
			TaxCode:     l.TaxCode,
			// UNVERIFIED until checked in a sandbox: with TaxInclusive, Amount
			// stays net and the gross goes in TaxInclusiveAmt (quickbooks.md §6;
			// ruckus/quickbooks-ruby #346 and #569). Zero outside that case.
			TaxInclusiveAmt: t.Lines[i].TaxInclusiveAmt,
		}
		if l.Description != "" {
			line.Description += "\n" + l.Description
		}
		if d.Tax.Model == TaxUS {
			line.TaxCode = "NON"
			if l.Taxable {
				line.TaxCode = "TAX"
			}
		}
		req.Lines = append(req.Lines, line)
	}
	return req
}
