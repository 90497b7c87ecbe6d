package invoicing

import (
	"errors"
	"fmt"
	"strings"
)

// Errors the ports return and the Service decides on. Adapters wrap them
// (with %w) so errors.Is and errors.As find them.
var (
	// ErrOffline: the provider could not be reached, or its answer was
	// lost on the way; the same request may be repeated later.
	ErrOffline = errors.New("cannot reach the service")
	// ErrAuthExpired: the connection must be made again (refresh refused).
	ErrAuthExpired = errors.New("the connection has expired")
	// ErrNotFound: the record does not exist (or was deleted).
	ErrNotFound = errors.New("not found")
	// ErrStale: the record changed since it was read (QuickBooks 5010).
	ErrStale = errors.New("the record was changed by someone else")
	// ErrPaymentsLinked: QuickBooks does not delete an invoice with payments.
	ErrPaymentsLinked = errors.New("the invoice has payments applied")
	// ErrAlreadyVoided: the invoice was voided before; voiding it again
	// changes nothing.
	ErrAlreadyVoided = errors.New("the invoice is already voided")
)

// NotFoundError: the deal or invoice asked for by its id does not exist,
// or not where Dealbooks looks (invoices: the ones Dealbooks created). It
// is ErrNotFound.
type NotFoundError struct {
	Kind string // "deal" (in Pipedrive) or "invoice" (in Dealbooks' copy)
	ID   string
}

func (e *NotFoundError) Error() string { return e.Kind + " " + e.ID + " not found" }

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// ProviderError is a fault the provider answered with, such as a
// QuickBooks validation fault.
type ProviderError struct {
	Provider string // "QuickBooks" or "Pipedrive"
	Code     string // the provider's error code, such as "6000"
	Message  string // the provider's own explanation
}

func (e *ProviderError) Error() string {
	if e.Code == "" {
		return e.Provider + ": " + e.Message
	}
	return fmt.Sprintf("%s error %s: %s", e.Provider, e.Code, e.Message)
}

// DuplicateNameError: QuickBooks already has a customer, vendor or
// employee with this display name (fault 6240).
type DuplicateNameError struct {
	Name       string
	ExistingID string // the customer's Id, when QuickBooks named it
}

func (e *DuplicateNameError) Error() string {
	return fmt.Sprintf("QuickBooks already has a customer named %q", e.Name)
}

// DuplicateNumberError: the invoice number is already used by another
// transaction (fault 6140).
type DuplicateNumberError struct {
	Number       string
	ExistingID   string // TxnId of the transaction that has the number
	ExistingType string // its TxnType, such as "Invoice" or "Credit Memo"
}

func (e *DuplicateNumberError) Error() string {
	return fmt.Sprintf("invoice number %s is already used by %s %s in QuickBooks", e.Number, e.ExistingType, e.ExistingID)
}

// ChangedError: an action was refused because the invoice changed in
// QuickBooks since it was read; After is the invoice as it is now (also
// in the cache), so the rep can look again and repeat the action.
type ChangedError struct {
	Before, After Invoice
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("invoice %s was changed in QuickBooks since it was last read", e.After.DocNumber)
}

// Unwrap makes errors.Is(err, ErrStale) hold.
func (e *ChangedError) Unwrap() error { return ErrStale }

// permanent reports whether err is a refusal that repeating the same
// request cannot change.
func permanent(err error) bool {
	var pe *ProviderError
	var dn *DuplicateNameError
	var dd *DuplicateNumberError
	var ve *ValidationError
	return errors.As(err, &pe) || errors.As(err, &dn) || errors.As(err, &dd) || errors.As(err, &ve) ||
		errors.Is(err, ErrStale) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrPaymentsLinked) ||
		errors.Is(err, ErrAlreadyVoided)
}

// Explain returns one plain English sentence for err that says what went
// wrong and what to do next, for the command line and logs; the UI
// translates by the error's type instead.
func Explain(err error) string {
	var (
		ve *ValidationError
		dn *DuplicateNameError
		dd *DuplicateNumberError
		ce *ChangedError
		pe *ProviderError
		ai *AlreadyInvoicedError
		nf *NotFoundError
		de *DifferenceError
		ui *UnknownInvoicesError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ui) && len(ui.Numbers) > 0:
		return fmt.Sprintf("QuickBooks has no invoice numbered %s; check the number in QuickBooks and try again.", strings.Join(ui.Numbers, ", "))
	case errors.As(err, &ui):
		return fmt.Sprintf("QuickBooks has no invoice %s (it was deleted, or never existed); refresh and try again.", strings.Join(ui.IDs, ", "))
	case errors.As(err, &ve) && len(ve.Issues) > 0:
		return "The invoice has mistakes to fix first: " + ve.Issues[0].Message + "."
	case errors.As(err, &dn):
		return fmt.Sprintf("QuickBooks already has a customer named %q; link the deal to that customer or change the name.", dn.Name)
	case errors.As(err, &ai) && len(ai.Invoices) > 0:
		return fmt.Sprintf("Deal %d already has %s; to bill it again, create another invoice explicitly (--another on the command line).",
			ai.DealID, invoiceName(ai.Invoices[0]))
	case errors.As(err, &de):
		return de.Error() + "; check it in the draft, and accept the difference (--accept-difference) to create it anyway."
	case errors.As(err, &dd):
		return fmt.Sprintf("Invoice number %s is already used by %s %s in QuickBooks; choose another number.", dd.Number, dd.ExistingType, dd.ExistingID)
	case errors.As(err, &ce):
		return "Someone changed this invoice in QuickBooks meanwhile; check it and try again."
	case errors.Is(err, ErrPaymentsLinked):
		return "QuickBooks cannot delete an invoice with payments; remove the payments in QuickBooks first, or void it instead."
	case errors.Is(err, ErrAuthExpired):
		return "The connection has expired; connect again in Settings."
	case errors.Is(err, ErrReadOnly):
		return "These are the offline copies kept at a disconnect, for reading; connect Pipedrive and QuickBooks again to work on them."
	case errors.Is(err, ErrOffline):
		return "The service cannot be reached; check the network, and the work will continue when it is back."
	case errors.Is(err, ErrAlreadyVoided):
		return "The invoice is already voided in QuickBooks; there is nothing more to do."
	case errors.As(err, &nf) && nf.Kind == "deal":
		return fmt.Sprintf("Pipedrive has no deal %s (it may have been deleted or merged); `dealbooks deals` lists the deals and their IDs.", nf.ID)
	case errors.As(err, &nf) && nf.Kind == "invoice":
		return fmt.Sprintf("Dealbooks has no invoice with Id %s; it acts on the invoices it created, which `dealbooks history --json` lists with their Ids.", nf.ID)
	case errors.Is(err, ErrNotFound):
		return "It was deleted in QuickBooks or Pipedrive meanwhile; refresh to bring Dealbooks up to date."
	case errors.As(err, &pe):
		return fmt.Sprintf("%s refused it (%s); change what it names and try again.", pe.Provider, pe.Message)
	}
	return "Something went wrong (" + err.Error() + "); try again, and if it persists send the log to support."
}
