package invoicing

import (
	"strings"

	"github.com/shopspring/decimal"
)

// State is the main state of an invoice. Exactly one applies.
type State int

// The states in order of precedence: the first that applies wins.
const (
	// Open: nothing paid yet.
	Open State = iota
	// PartiallyPaid: some of the total received after the invoice was made,
	// by payment or credit. A deposit taken on the invoice itself is not a
	// payment: an invoice with only a deposit is still Open.
	PartiallyPaid
	// Paid: nothing left to pay, including zero-amount invoices.
	Paid
	// Voided: voided in QuickBooks, and named so to reps, in QuickBooks' own word: QuickBooks keeps a voided
	// invoice with its amounts zeroed and "Voided" put before its memo (api/quickbooks.md §3.1, void detail).
	Voided
	// Queued: created offline, waiting in the outbox; QuickBooks has no copy yet.
	Queued
	// Deleted: deleted in QuickBooks.
	Deleted
)

// String returns the English label of the state.
func (s State) String() string {
	switch s {
	case PartiallyPaid:
		return "Partially paid"
	case Paid:
		return "Paid"
	case Voided:
		return "Voided"
	case Queued:
		return "Queued"
	case Deleted:
		return "Deleted"
	}
	return "Open"
}

// Status is an invoice's state plus two overlays that can accompany it.
type Status struct {
	State State
	// Overdue: a positive balance past its due date. Only with Open,
	// PartiallyPaid or Queued.
	Overdue bool
	// Sent: QuickBooks has e-mailed the invoice. Never with Queued or Deleted.
	Sent bool
}

// String joins the state and its overlays, e.g. "Partially paid, Overdue, Sent".
func (s Status) String() string {
	parts := []string{s.State.String()}
	if s.Overdue {
		parts = append(parts, "Overdue")
	}
	if s.Sent {
		parts = append(parts, "Sent")
	}
	return strings.Join(parts, ", ")
}

// StatusInput holds the QuickBooks fields a status is derived from.
type StatusInput struct {
	Total   decimal.Decimal // TotalAmt
	Balance decimal.Decimal // Balance
	// Deposit is the amount taken on the invoice when it was made
	// (Invoice.Deposit). QuickBooks starts Balance at TotalAmt − Deposit,
	// and payments lower it from there.
	Deposit     decimal.Decimal
	DueDate     Date   // zero when the invoice has none
	PrivateNote string // QuickBooks prefixes it with "Voided" on void
	// Deleted: QuickBooks answered {"status":"Deleted"} (delete call or CDC)
	// or Fault 610 "Object Not Found" on reading the invoice.
	Deleted     bool
	EmailStatus string // "NotSet", "NeedToSend" or "EmailSent"
	// Queued: the invoice is an outbox item not yet created in QuickBooks;
	// Total and Balance are then the draft's total.
	Queued bool
	// Today is today's date in the QuickBooks company's zone.
	Today Date
}

// DeriveStatus derives an invoice's status from QuickBooks' fields
// (QuickBooks has no status field; api/quickbooks.md §4).
//
// State, first match wins: Deleted; Queued (QuickBooks has nothing to
// report yet); Voided (Total 0, Balance 0, PrivateNote starting "Voided");
// Paid (Balance 0 or less, so zero-amount and overpaid invoices count as
// paid); Partially paid (Balance below Total − Deposit: a payment or credit
// has been applied; QuickBooks documents Balance as TotalAmt less the
// deposit and the payments, so a deposit alone leaves the invoice Open);
// otherwise Open.
//
// Overdue is added to any Open, Partially paid or Queued invoice with a
// positive balance whose due date is before Today: due today is not overdue.
// Sent is added when EmailStatus is "EmailSent", unless Deleted or Queued.
func DeriveStatus(in StatusInput) Status {
	var s Status
	switch {
	case in.Deleted:
		return Status{State: Deleted}
	case in.Queued:
		s.State = Queued
	case in.Total.IsZero() && in.Balance.IsZero() && strings.HasPrefix(in.PrivateNote, "Voided"):
		s.State = Voided
	case !in.Balance.IsPositive():
		s.State = Paid
	case in.Balance.LessThan(in.Total.Sub(in.Deposit)):
		s.State = PartiallyPaid
	default:
		s.State = Open
	}
	s.Overdue = in.Balance.IsPositive() && !in.DueDate.IsZero() && in.DueDate.Before(in.Today)
	s.Sent = in.EmailStatus == "EmailSent" && s.State != Queued
	return s
}
