package invoicing

import (
	"errors"
	"fmt"
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
)

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
		errors.Is(err, ErrStale) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrPaymentsLinked)
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
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve) && len(ve.Issues) > 0:
		return "The invoice has mistakes to fix first: " + ve.Issues[0].Message + "."
	case errors.As(err, &dn):
		return fmt.Sprintf("QuickBooks already has a customer named %q; link the deal to that customer or change the name.", dn.Name)
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
	case errors.Is(err, ErrNotFound):
		return "It no longer exists; refresh to see the latest state."
	case errors.As(err, &pe):
		return fmt.Sprintf("%s refused it (%s); correct the invoice and try again.", pe.Provider, pe.Message)
	}
	return "Something went wrong (" + err.Error() + "); try again, and if it persists send the log to support."
}
