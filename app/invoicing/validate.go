package invoicing

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// QuickBooks limits a draft must respect (api/quickbooks.md §3).
const (
	MaxLines             = 750  // lines on a taxable invoice
	MaxMemoLength        = 4000 // PrivateNote, in characters
	MaxCustomerMemo      = 1000 // CustomerMemo, in characters (UNVERIFIED: not in the API notes; the limit issue 6 sets)
	MaxInvoiceNumber     = 21   // DocNumber, in characters
	MaxSignificantDigits = 15   // quantities and prices beyond this are taken as typing errors
)

// IssueCode says what is wrong with one field, in a form the UI can translate.
type IssueCode string

// The issue codes Validate and Warnings return.
const (
	CurrencyMissing          IssueCode = "currency_missing"
	CurrencyNotISO           IssueCode = "currency_not_iso"
	CurrencyCustomerMismatch IssueCode = "currency_customer_mismatch"
	CurrencyNotHome          IssueCode = "currency_not_home"
	CustomerNameMissing      IssueCode = "customer_name_missing"
	CustomerNameInvalid      IssueCode = "customer_name_invalid"
	EmailInvalid             IssueCode = "email_invalid"
	EmailMissing             IssueCode = "email_missing" // Send: no address given and none on the invoice
	IssueDateMissing         IssueCode = "issue_date_missing"
	DueBeforeIssue           IssueCode = "due_before_issue"
	DueTooLate               IssueCode = "due_too_late"
	InvoiceNumberTooLong     IssueCode = "invoice_number_too_long"
	MemoTooLong              IssueCode = "memo_too_long"
	CustomerMemoTooLong      IssueCode = "customer_memo_too_long"
	LinesMissing             IssueCode = "lines_missing"
	TooManyLines             IssueCode = "too_many_lines"
	QuantityNotPositive      IssueCode = "quantity_not_positive"
	PriceNegative            IssueCode = "price_negative"
	TooManyDigits            IssueCode = "too_many_digits"
	DiscountNegative         IssueCode = "discount_negative"
	DiscountTooLarge         IssueCode = "discount_too_large"
	TaxCalculationMissing    IssueCode = "tax_calculation_missing"
	TaxCodeMissing           IssueCode = "tax_code_missing"
	TaxRateNegative          IssueCode = "tax_rate_negative"
	RecurringProduct         IssueCode = "recurring_product"
	ItemDefaulted            IssueCode = "item_defaulted"
	TermUnknown              IssueCode = "term_unknown"
)

// Issue is one problem with one field of a draft.
type Issue struct {
	// Field is the path of the field, such as "currency", "customer.email",
	// "lines[2].quantity" or "discounts[0].value".
	Field string
	Code  IssueCode
	// Message is a plain English sentence for logs and the command line; the
	// UI translates Code instead.
	Message string
}

// ValidationError lists everything wrong with a draft, one Issue per field.
type ValidationError struct {
	Issues []Issue
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = is.Field + ": " + is.Message
	}
	return "invalid invoice draft: " + strings.Join(parts, "; ")
}

// Company is what Dealbooks needs to know about the QuickBooks company
// (CompanyInfo and Preferences).
type Company struct {
	RealmID string
	Name    string
	Country string // CompanyInfo.Country, such as "US" or "GB"
	// HomeCurrency and MultiCurrency are Preferences.CurrencyPrefs.
	HomeCurrency  string
	MultiCurrency bool
	// TaxModel follows Country: TaxUS for "US", TaxGlobal otherwise.
	TaxModel TaxModel
	// CustomTxnNumbers is Preferences.SalesFormsPrefs.CustomTxnNumbers: when
	// on, QuickBooks uses the DocNumber we send and numbers nothing itself.
	CustomTxnNumbers bool
	// DefaultItemID is the item QuickBooks puts on a new sales line (its sales form preferences); the
	// preferences start from it.
	DefaultItemID string
	// DefaultTaxCode is, in a US company, the sales tax code QuickBooks applies to an invoice that names
	// none (Preferences.TaxPrefs.TaxGroupCodeRef); empty when sales tax is off.
	DefaultTaxCode string
	Sandbox        bool
	// KnownTaxCodes are QuickBooks' tax codes as the Service last read them, kept with the stored company
	// so a draft made offline still computes its tax (and a queued invoice shows its total with tax).
	// Adapters leave it empty.
	KnownTaxCodes []TaxCode `json:",omitempty"`
}

// Validate checks a draft against QuickBooks' rules before anything is sent.
// It returns nil or a *ValidationError holding every problem found.
func Validate(d Draft, c Company) error {
	var v validator
	v.currency(d, c)
	v.customer(d.Customer)
	v.dates(d)
	v.texts(d)
	v.tax(d.Tax)
	v.lines(d)
	v.discounts(d)
	if len(v.issues) == 0 {
		return nil
	}
	return &ValidationError{Issues: v.issues}
}

// ValidateTerm checks the draft's payment term against QuickBooks' terms.
// terms nil means they are not known (QuickBooks could not be reached): any
// term then passes, and QuickBooks checks it when the invoice is sent. It
// returns nil or a *ValidationError.
func ValidateTerm(d Draft, terms []Term) error {
	if d.Terms == "" || terms == nil || slices.ContainsFunc(terms, func(t Term) bool { return t.ID == d.Terms }) {
		return nil
	}
	return &ValidationError{Issues: []Issue{{Field: "terms", Code: TermUnknown,
		Message: fmt.Sprintf("QuickBooks has no payment term %s; choose another", d.Terms)}}}
}

// Warnings returns what the rep should know about a valid draft but need
// not fix: recurring products, which the invoice bills once, and lines on
// the default item because no QuickBooks item matched their product.
func Warnings(d Draft) []Issue {
	var v validator
	for i, l := range d.Lines {
		if l.Recurring {
			v.add(linePath(i, "recurring"), RecurringProduct,
				"%q is a recurring product; this invoice bills it once", l.Name)
		}
	}
	itemWarnings(&v, d)
	return v.issues
}

type validator struct {
	issues []Issue
}

func (v *validator) add(field string, code IssueCode, format string, args ...any) {
	v.issues = append(v.issues, Issue{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) currency(d Draft, c Company) {
	switch {
	case d.Currency == "":
		v.add("currency", CurrencyMissing, "choose a currency")
	case !IsISOCurrency(d.Currency):
		v.add("currency", CurrencyNotISO, "%q is not an ISO 4217 currency; QuickBooks cannot use custom currencies", d.Currency)
	case d.Customer.LinkedCurrency != "" && d.Currency != d.Customer.LinkedCurrency:
		v.add("currency", CurrencyCustomerMismatch,
			"the QuickBooks customer uses %s, not %s; link or create a customer in %s", d.Customer.LinkedCurrency, d.Currency, d.Currency)
	case !c.MultiCurrency && c.HomeCurrency != "" && d.Currency != c.HomeCurrency:
		v.add("currency", CurrencyNotHome,
			"multicurrency is off in QuickBooks, so invoices must be in %s", c.HomeCurrency)
	}
}

// customer checks the customer fields. The name rules are QuickBooks'
// DisplayName rules, so they apply only when a new customer is to be created.
func (v *validator) customer(c Customer) {
	switch {
	case c.LinkedID != "":
	case strings.TrimSpace(c.To) == "":
		v.add("customer.to", CustomerNameMissing, "enter the customer's name")
	case strings.ContainsAny(c.To, ":\t\n\r"):
		v.add("customer.to", CustomerNameInvalid, "a QuickBooks customer name cannot contain a colon, tab or line break")
	}
	if c.Email != "" && !validEmail(c.Email) {
		v.add("customer.email", EmailInvalid, "%q is not an e-mail address", c.Email)
	}
}

// ValidEmail reports whether s is an address QuickBooks takes for an invoice's e-mail: the rule Validate
// applies to the customer's e-mail, for other places a rep types an address (Send by e-mail).
func ValidEmail(s string) bool { return validEmail(s) }

// validEmail accepts a bare address (no display name) whose domain has a dot,
// as QuickBooks requires "@" and "." in PrimaryEmailAddr.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func (v *validator) dates(d Draft) {
	if d.IssueDate.IsZero() {
		v.add("issue_date", IssueDateMissing, "enter the issue date")
		return
	}
	switch {
	case d.DueDate.IsZero():
	case d.DueDate.Before(d.IssueDate):
		v.add("due_date", DueBeforeIssue, "the due date is before the issue date")
	case d.DueDate.After(d.IssueDate.AddDays(MaxDueDays)):
		v.add("due_date", DueTooLate, "the due date is more than %d days after the issue date", MaxDueDays)
	}
}

func (v *validator) texts(d Draft) {
	if n := utf8.RuneCountInString(d.InvoiceNumber); n > MaxInvoiceNumber {
		v.add("invoice_number", InvoiceNumberTooLong, "the invoice number has %d characters; QuickBooks allows %d", n, MaxInvoiceNumber)
	}
	if n := utf8.RuneCountInString(d.Memo); n > MaxMemoLength {
		v.add("memo", MemoTooLong, "the memo has %d characters; QuickBooks allows %d", n, MaxMemoLength)
	}
	if n := utf8.RuneCountInString(d.CustomerMemo); n > MaxCustomerMemo {
		v.add("customer_memo", CustomerMemoTooLong, "the message to the customer has %d characters; QuickBooks allows %d", n, MaxCustomerMemo)
	}
}

func (v *validator) tax(t TaxSettings) {
	if t.Model == TaxGlobal && t.Calculation != TaxExcluded && t.Calculation != TaxInclusive && t.Calculation != NotApplicable {
		v.add("tax.calculation", TaxCalculationMissing, "choose whether prices exclude or include tax, or no tax applies")
	}
	if t.Model == TaxUS && t.TxnTaxRate.IsNegative() {
		v.add("tax.rate", TaxRateNegative, "the tax rate cannot be negative")
	}
}

func (v *validator) lines(d Draft) {
	switch {
	case len(d.Lines) == 0:
		v.add("lines", LinesMissing, "add at least one line")
	case len(d.Lines) > MaxLines:
		v.add("lines", TooManyLines, "the invoice has %d lines; QuickBooks allows %d", len(d.Lines), MaxLines)
	}
	for i, l := range d.Lines {
		switch {
		case !l.Quantity.IsPositive():
			v.add(linePath(i, "quantity"), QuantityNotPositive, "the quantity must be more than zero")
		case tooManyDigits(l.Quantity):
			v.add(linePath(i, "quantity"), TooManyDigits, "the quantity has more than %d digits", MaxSignificantDigits)
		}
		switch {
		case l.UnitPrice.IsNegative():
			v.add(linePath(i, "unit_price"), PriceNegative, "the unit price cannot be negative; use a discount")
		case tooManyDigits(l.UnitPrice):
			v.add(linePath(i, "unit_price"), TooManyDigits, "the unit price has more than %d digits", MaxSignificantDigits)
		}
		gross := l.Quantity.Mul(l.UnitPrice)
		v.discount(linePath(i, "discount"), l.Discount, gross)
		if d.Tax.Model == TaxGlobal && d.Tax.Calculation != NotApplicable && l.TaxCode == "" {
			v.add(linePath(i, "tax_code"), TaxCodeMissing, "choose a tax code; QuickBooks needs one on every line outside the US")
		}
		if l.TaxRate.IsNegative() {
			v.add(linePath(i, "tax_code"), TaxRateNegative, "the tax rate cannot be negative")
		}
	}
}

func (v *validator) discounts(d Draft) {
	t := ComputeTotals(Draft{Currency: d.Currency, Lines: d.Lines, Discounts: d.Discounts})
	before := len(v.issues)
	for i, disc := range d.Discounts {
		v.discount(fmt.Sprintf("discounts[%d].value", i), disc, t.Subtotal)
	}
	if len(v.issues) == before && t.Discount.IsPositive() && t.Discount.GreaterThan(t.Subtotal) {
		v.add("discounts", DiscountTooLarge, "the discounts add up to more than the subtotal")
	}
}

// discount checks one discount against the amount it is taken from.
func (v *validator) discount(field string, d Discount, of decimal.Decimal) {
	switch {
	case d.Value.IsNegative():
		v.add(field, DiscountNegative, "a discount cannot be negative")
	case tooManyDigits(d.Value):
		v.add(field, TooManyDigits, "the discount has more than %d digits", MaxSignificantDigits)
	case d.Type == DiscountPercentage && d.Value.GreaterThan(hundred):
		v.add(field, DiscountTooLarge, "a discount cannot be more than 100%%")
	case d.Type == DiscountAmount && d.Value.GreaterThan(of):
		v.add(field, DiscountTooLarge, "the discount is more than the amount it is taken from")
	}
}

func linePath(i int, field string) string { return fmt.Sprintf("lines[%d].%s", i, field) }

// tooManyDigits reports whether d has more than MaxSignificantDigits
// significant digits. Zeros after the last non-zero decimal do not count;
// zeros before the point do (1e20 has 21 digits).
func tooManyDigits(d decimal.Decimal) bool {
	exp := d.Exponent()
	if exp > MaxSignificantDigits {
		return !d.IsZero()
	}
	digits := strings.TrimPrefix(d.Coefficient().String(), "-")
	if digits == "0" {
		return false
	}
	for exp < 0 && strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		exp++
	}
	return len(digits)+max(int(exp), 0) > MaxSignificantDigits
}
