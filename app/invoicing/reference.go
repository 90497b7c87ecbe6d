package invoicing

import "github.com/shopspring/decimal"

// This file holds the QuickBooks records an invoice refers to: items, tax codes, terms and customers.

// Item is a QuickBooks item (product or service).
type Item struct {
	ID   string
	Name string
	// Sku is the item's SKU; deal products are matched to items by it
	// (the Pipedrive product code) before their names.
	Sku string
}

// TaxCode is a QuickBooks tax code with its combined sales rate in percent.
type TaxCode struct {
	ID   string
	Name string
	Rate decimal.Decimal
}

// Term is a QuickBooks payment term, such as "Net 30".
type Term struct {
	ID   string
	Name string
	// DueDays is how many days after the issue date the invoice is due;
	// 0 when the term is not a fixed number of days (DateDriven).
	DueDays int
	// DateDriven: the term sets the due date by a day of the month
	// (QuickBooks' DATE_DRIVEN terms), not as days after the issue date.
	DateDriven bool
}

// DueDate returns the due date the term gives an invoice issued on issue:
// issue plus DueDays ("Due on receipt", 0 days, is the issue date). ok is
// false for a date-driven term and for a missing issue date: the due date
// is then left as the rep typed it.
func (t Term) DueDate(issue Date) (due Date, ok bool) {
	if t.DateDriven || issue.IsZero() {
		return Date{}, false
	}
	return issue.AddDays(t.DueDays), true
}

// NewCustomer is a customer to create in QuickBooks.
type NewCustomer struct {
	DisplayName string
	Email       string
	Address     string
	TaxID       string
	// Currency is the customer's fixed currency; "" leaves the company's
	// home currency (and is what a company without multicurrency needs).
	Currency string
}

// CustomerChanges are the fields a sparse update writes; empty ones are left alone.
type CustomerChanges struct {
	Email   string
	Address string
	TaxID   string
}

// IsZero reports whether there is nothing to write.
func (c CustomerChanges) IsZero() bool { return c == CustomerChanges{} }

// CustomerLink remembers the QuickBooks customer of a Pipedrive
// organization or person in one currency.
type CustomerLink struct {
	Party      PartyRef
	Currency   string
	CustomerID string
	// DisplayName is the customer's name when linked, for display.
	DisplayName string
}
