package invoicing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Void voids the invoice in QuickBooks with the SyncToken last read. When
// the invoice changed (or was deleted) meanwhile it returns a *ChangedError
// holding the invoice as it is now (also cached), so the rep can look and
// void again.
func (s *Service) Void(ctx context.Context, invoiceID string) (Invoice, error) {
	ci, err := s.cachedInvoice(ctx, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	if ci.Invoice.Status(s.today()).State == Voided {
		return Invoice{}, fmt.Errorf("void invoice %s: %w", ci.Invoice.DocNumber, ErrAlreadyVoided)
	}
	rid, err := newRequestID()
	if err != nil {
		return Invoice{}, err
	}
	inv, err := s.acct.VoidInvoice(ctx, invoiceID, ci.Invoice.SyncToken, rid)
	var pe *ProviderError
	switch {
	case errors.Is(err, ErrStale) || errors.Is(err, ErrNotFound):
		return Invoice{}, s.changed(ctx, ci)
	case errors.As(err, &pe):
		// Voided meanwhile (in QuickBooks, or by another Dealbooks)?
		if now, rerr := s.acct.Invoice(ctx, invoiceID); rerr == nil && now.Status(s.today()).State == Voided {
			return Invoice{}, errors.Join(fmt.Errorf("void invoice %s: %w", ci.Invoice.DocNumber, ErrAlreadyVoided), s.recache(ctx, ci, now))
		}
	}
	if err != nil {
		return Invoice{}, fmt.Errorf("void invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	return inv, s.acted(ctx, ci, inv, ChangeVoided)
}

// Delete deletes the invoice in QuickBooks with the SyncToken last read.
// QuickBooks does not delete an invoice with payments applied: that is
// ErrPaymentsLinked, checked before asking when the cache already shows
// payments. A changed invoice is a *ChangedError as for Void; an invoice
// already deleted counts as deleted.
func (s *Service) Delete(ctx context.Context, invoiceID string) (Invoice, error) {
	ci, err := s.cachedInvoice(ctx, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	if paymentsApplied(ci.Invoice) {
		return Invoice{}, fmt.Errorf("delete invoice %s: %w", ci.Invoice.DocNumber, ErrPaymentsLinked)
	}
	rid, err := newRequestID()
	if err != nil {
		return Invoice{}, err
	}
	err = s.acct.DeleteInvoice(ctx, invoiceID, ci.Invoice.SyncToken, rid)
	var pe *ProviderError
	switch {
	case errors.Is(err, ErrStale):
		return Invoice{}, s.changed(ctx, ci)
	case errors.As(err, &pe):
		if now, rerr := s.acct.Invoice(ctx, invoiceID); rerr == nil && paymentsApplied(now) {
			return Invoice{}, fmt.Errorf("delete invoice %s: %w (%w)", ci.Invoice.DocNumber, ErrPaymentsLinked, err)
		}
		return Invoice{}, fmt.Errorf("delete invoice %s: %w", ci.Invoice.DocNumber, err)
	case err != nil && !errors.Is(err, ErrNotFound):
		return Invoice{}, fmt.Errorf("delete invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	inv := ci.Invoice
	inv.Deleted = true
	return inv, s.acted(ctx, ci, inv, ChangeDeleted)
}

// paymentsApplied reports whether part of the invoice has been paid by a
// payment or credit. A deposit taken on the invoice is not a linked
// transaction, so it does not keep QuickBooks from deleting the invoice.
func paymentsApplied(inv Invoice) bool {
	return inv.Total.IsPositive() && inv.Paid().IsPositive()
}

// Send has QuickBooks e-mail the invoice to the address to; an empty to
// means the invoice's billing e-mail (the mapped address). The invoice's
// status then shows Sent.
func (s *Service) Send(ctx context.Context, invoiceID, to string) (Invoice, error) {
	ci, err := s.cachedInvoice(ctx, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	to = strings.TrimSpace(to)
	if to == "" {
		to = ci.Invoice.BillEmail
	}
	var v validator
	switch {
	case to == "":
		v.add("to", EmailMissing, "invoice %s has no e-mail address to send it to", ci.Invoice.DocNumber)
	case !validEmail(to):
		v.add("to", EmailInvalid, "%q is not an e-mail address", to)
	}
	if len(v.issues) > 0 {
		return Invoice{}, &ValidationError{Issues: v.issues}
	}
	rid, err := newRequestID()
	if err != nil {
		return Invoice{}, err
	}
	inv, err := s.acct.SendInvoice(ctx, invoiceID, to, rid)
	if err != nil {
		return Invoice{}, fmt.Errorf("send invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	return inv, s.acted(ctx, ci, inv, ChangeSent)
}

// PDF returns the path of the invoice's PDF in the file cache, fetched
// from QuickBooks and cached; offline, the cached copy if there is one.
func (s *Service) PDF(ctx context.Context, invoiceID string) (string, error) {
	ci, err := s.cachedInvoice(ctx, invoiceID)
	if err != nil {
		return "", err
	}
	name := PDFFileName(ci.Invoice)
	rc, err := s.acct.InvoicePDF(ctx, invoiceID)
	if errors.Is(err, ErrOffline) {
		if path, cerr := s.files.Get(ctx, name); cerr == nil {
			return path, nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("download PDF of invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	defer rc.Close()
	path, err := s.files.Put(ctx, name, rc)
	if err != nil {
		return "", fmt.Errorf("save PDF of invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	return path, nil
}

// InvoiceURL returns the web address of the invoice in QuickBooks.
func (s *Service) InvoiceURL(invoiceID string) string { return s.acct.InvoiceURL(invoiceID) }

// maxFileName is the longest file name PDFFileName returns, in characters.
const maxFileName = 100

// PDFFileName returns a file name for the invoice's PDF that is safe on
// Windows, macOS and Linux: "Invoice 1042 Acme Ltd.pdf". Characters other
// than letters, digits, spaces and . - _ ( ) & become "_".
func PDFFileName(inv Invoice) string {
	number := inv.DocNumber
	if number == "" {
		number = inv.ID
	}
	base := strings.Join(strings.Fields("Invoice "+number+" "+inv.CustomerName), " ")
	base = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .-_()&", r) {
			return r
		}
		return '_'
	}, base)
	for utf8.RuneCountInString(base) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	return strings.TrimRight(base, ". ") + ".pdf"
}

func (s *Service) cachedInvoice(ctx context.Context, id string) (CachedInvoice, error) {
	ci, err := s.repo.Invoice(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return CachedInvoice{}, fmt.Errorf("read cached invoice %s: %w", id, &NotFoundError{Kind: "invoice", ID: id})
	}
	if err != nil {
		return CachedInvoice{}, fmt.Errorf("read cached invoice %s: %w", id, err)
	}
	return ci, nil
}

// recache stores inv as the new state of the cached invoice ci.
func (s *Service) recache(ctx context.Context, ci CachedInvoice, inv Invoice) error {
	ci.Invoice = inv
	ci.Status = inv.Status(s.today())
	ci.FetchedAt = s.now()
	if err := s.repo.UpsertInvoices(ctx, []CachedInvoice{ci}); err != nil {
		return fmt.Errorf("cache invoice %s: %w", inv.ID, err)
	}
	return nil
}

// acted caches inv as the state of ci after this rep's action and tells
// the team at once: the deal's note names the rep and the new status, and
// the deal fields follow, so a refresh (which sees no change in the local
// copy) need not. Without a team only the cache changes.
func (s *Service) acted(ctx context.Context, ci CachedInvoice, inv Invoice, a ChangeAction) error {
	ci.Invoice = inv
	ci.Status = inv.Status(s.today())
	ci.FetchedAt = s.now()
	if me, ok := s.Rep(ctx); ok && me.Name != "" {
		ci.LastChange = Change{Action: a, By: me.Name}
	}
	if err := s.repo.UpsertInvoices(ctx, []CachedInvoice{ci}); err != nil {
		return fmt.Errorf("cache invoice %s: %w", inv.ID, err)
	}
	if _, ok := s.team(); !ok {
		return nil
	}
	// QuickBooks has done what the rep asked: Pipedrive's copy is told even when the rep's request is
	// cancelled now.
	told := s.tellTeam(context.WithoutCancel(ctx), []CachedInvoice{ci}, true)[0]
	if told.NoteID != ci.NoteID {
		if err := s.repo.UpsertInvoices(ctx, []CachedInvoice{told}); err != nil {
			return fmt.Errorf("cache invoice %s: %w", inv.ID, err)
		}
	}
	return nil
}

// changed re-reads an invoice an action found changed, caches it and
// returns the *ChangedError that shows what changed.
func (s *Service) changed(ctx context.Context, ci CachedInvoice) error {
	now, err := s.acct.Invoice(ctx, ci.Invoice.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		now = ci.Invoice
		now.Deleted = true
	case err != nil:
		return fmt.Errorf("re-read changed invoice %s: %w", ci.Invoice.DocNumber, err)
	}
	if err := s.recache(ctx, ci, now); err != nil {
		return err
	}
	return &ChangedError{Before: ci.Invoice, After: now}
}
