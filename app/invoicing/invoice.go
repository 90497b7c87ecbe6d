package invoicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// This file holds invoices as sent to and read back from QuickBooks, and as cached locally.

// InvoiceRequest is an invoice to create, with every amount already
// computed (see ComputeTotals), so adapters only translate it.
type InvoiceRequest struct {
	CustomerID string
	Currency   string // CurrencyRef; "" when the company has no multicurrency
	IssueDate  Date   // TxnDate
	DueDate    Date   // zero: QuickBooks derives it from the terms
	Terms      string // SalesTermRef Id; "" for none
	DocNumber  string // "" lets QuickBooks number the invoice
	// PrivateNote is the memo; CustomerMemo the message to the customer.
	PrivateNote  string
	CustomerMemo string
	BillEmail    string
	// BillAddress is the billing address as text, one part per line or
	// comma; "" leaves QuickBooks to print the customer's.
	BillAddress string
	Lines       []InvoiceLine
	// Discount is the deal-level discount as one amount-based discount
	// line after the item lines; zero means no discount line.
	Discount decimal.Decimal
	// TxnTaxCode is the US transaction tax code (TxnTaxDetail.TxnTaxCodeRef);
	// "" sends none.
	TxnTaxCode            string
	ApplyTaxAfterDiscount bool
	// GlobalTaxCalculation is set outside the US and "" in the US.
	GlobalTaxCalculation GlobalTaxCalculation
}

// InvoiceLine is one SalesItemLine.
type InvoiceLine struct {
	ItemID      string // ItemRef, never empty
	Description string
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal // the line discount already folded in
	Amount      decimal.Decimal // Quantity × UnitPrice, rounded to the currency
	// TaxCode is "TAX" or "NON" in the US and a TaxCode Id elsewhere.
	TaxCode string
	// TaxInclusiveAmt is the line's amount with tax, sent only with
	// GlobalTaxCalculation TaxInclusive (SalesItemLineDetail.TaxInclusiveAmt);
	// zero sends none.
	TaxInclusiveAmt decimal.Decimal
}

// Invoice is a QuickBooks invoice as read back.
type Invoice struct {
	ID           string
	SyncToken    string
	DocNumber    string
	CustomerID   string
	CustomerName string
	Currency     string
	IssueDate    Date
	DueDate      Date
	Total        decimal.Decimal // TotalAmt
	Balance      decimal.Decimal
	// Tax is TxnTaxDetail.TotalTax; Discount the sum of the discount lines.
	Tax      decimal.Decimal
	Discount decimal.Decimal
	// Deposit is the amount taken on the invoice when it was made; it is
	// not a payment (Balance = Total − Deposit − payments).
	Deposit decimal.Decimal
	// HomeTotal is HomeTotalAmt and ExchangeRate the home-currency units per
	// unit of Currency; both zero for an invoice in the home currency.
	HomeTotal    decimal.Decimal
	ExchangeRate decimal.Decimal
	PrivateNote  string
	EmailStatus  string // "NotSet", "NeedToSend" or "EmailSent"
	BillEmail    string
	// Deleted: QuickBooks reported the invoice deleted; only ID is then reliable.
	Deleted   bool
	UpdatedAt time.Time // MetaData.LastUpdatedTime
}

// Status derives the invoice's status on the given day.
func (inv Invoice) Status(today Date) Status {
	return DeriveStatus(StatusInput{
		Total: inv.Total, Balance: inv.Balance, Deposit: inv.Deposit, DueDate: inv.DueDate,
		PrivateNote: inv.PrivateNote, Deleted: inv.Deleted,
		EmailStatus: inv.EmailStatus, Today: today,
	})
}

// Paid returns what was paid on the invoice after it was made, by payment
// or credit: Total − Deposit − Balance, never below zero. The deposit is not
// in it.
func (inv Invoice) Paid() decimal.Decimal {
	paid := inv.Total.Sub(inv.Deposit).Sub(inv.Balance)
	if paid.IsNegative() {
		return decimal.Zero
	}
	return paid
}

// ChangeSet is what changed in QuickBooks since a given time.
type ChangeSet struct {
	// Invoices are the changed invoices, deleted ones with Deleted set.
	Invoices []Invoice
	// PaymentInvoiceIDs are the invoices the changed payments are applied to.
	PaymentInvoiceIDs []string
	// Time is QuickBooks' time of the answer, the start of the next window.
	Time time.Time
}

// CachedInvoice is an invoice in the local cache.
type CachedInvoice struct {
	Invoice Invoice
	DealID  int64
	// Status is the status as of FetchedAt; a refresh compares it with the
	// new one to report invoices newly paid or overdue.
	Status    Status
	NoteID    int64 // the Pipedrive note written for it; 0 for none
	FetchedAt time.Time
	// CreatedBy names the Pipedrive user who created the invoice in
	// Dealbooks (from its marker); "" when not known.
	CreatedBy string
	// LastChange is the last action a rep took on it in Dealbooks.
	LastChange Change
}

// SyncState records how fresh the caches are.
type SyncState struct {
	DealsSyncedAt    time.Time // the updated_since of the next deals refresh
	InvoicesSyncedAt time.Time // the changedSince of the next invoice refresh
}
