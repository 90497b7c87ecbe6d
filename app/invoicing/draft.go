package invoicing

import "github.com/shopspring/decimal"

// Draft is an invoice being prepared for one Pipedrive deal: built from the
// deal, its organization, person, products and deal-level discounts with the
// preferences applied, then edited by the rep before it is sent to QuickBooks.
type Draft struct {
	DealID   int64
	Customer Customer
	// Currency is the ISO 4217 code of every amount on the invoice (CurrencyRef).
	Currency  string
	IssueDate Date // TxnDate
	DueDate   Date
	// Terms is the QuickBooks Term Id (SalesTermRef); empty for none.
	Terms string
	// InvoiceNumber is the DocNumber; empty lets QuickBooks number the invoice.
	InvoiceNumber string
	// Memo is the private note (PrivateNote), not shown to the customer.
	Memo string
	// CustomerMemo is the message printed on the invoice (CustomerMemo).
	CustomerMemo string
	Tax          TaxSettings
	Lines        []Line
	// Another: the rep asked for another invoice although the deal already
	// has one ("Create another invoice", --another). Without it CreateInvoice
	// refuses a deal with an invoice with *AlreadyInvoicedError.
	Another bool `json:",omitempty"`
	// Discounts are the deal-level discounts. They are sent to QuickBooks as
	// one discount line whose amount is their sum (see ComputeTotals).
	Discounts []Discount
	// Source is the deal as Pipedrive priced it when the draft was built,
	// kept with the draft so Reconcile can compare the invoice with the deal
	// after the rep's edits. The zero Source means the draft came from no deal.
	Source DealFigures
}

// Customer is who the invoice is for, as filled from the preferences' field
// mapping (To, Address, Email, Tax ID) and the customer link.
type Customer struct {
	To      string // the QuickBooks DisplayName for a new customer
	Address string
	Email   string
	TaxID   string
	// LinkedID is the Id of the QuickBooks customer the deal is linked to;
	// empty means a new customer will be created.
	LinkedID string
	// LinkedCurrency is the linked customer's currency. QuickBooks fixes a
	// customer's currency once it is set.
	LinkedCurrency string
	// Party is the Pipedrive organization (or, without one, the person)
	// the customer was filled from; the customer link is remembered for it.
	Party PartyRef
	// UpdateInQuickBooks is the editor's toggle "Update customer info in
	// QuickBooks": the address, e-mail and tax ID of a linked customer that
	// differ from QuickBooks are written to it before the invoice.
	UpdateInQuickBooks bool
}

// PartyRef names a Pipedrive organization or person.
type PartyRef struct {
	Entity Entity // EntityOrganization or EntityPerson
	ID     int64
}

// IsZero reports whether the reference names nobody.
func (p PartyRef) IsZero() bool { return p == PartyRef{} }

// Line is one product line of the invoice (a QuickBooks SalesItemLine).
type Line struct {
	// ProductID is the Pipedrive product the line came from (0 for a line
	// the rep added); its QuickBooks item is remembered per product.
	ProductID   int64
	Name        string // product name, sent as the line's Description
	Description string // extra text, such as the deal product's comments
	// ProductCode is the Pipedrive product's code (its SKU); "" for none.
	ProductCode string
	// ItemRef is the QuickBooks Item Id; empty means the preferences' default item.
	ItemRef string
	// ItemMatch says how ItemRef was found; ItemDefault means no item
	// matched the product and the editor says so on the line.
	ItemMatch ItemMatch
	Quantity  decimal.Decimal
	UnitPrice decimal.Decimal
	// Discount is the deal product's own discount; the zero Discount is none.
	Discount Discount
	// Taxable marks the line "TAX" rather than "NON" in a US company.
	Taxable bool
	// TaxCode is the QuickBooks TaxCode Id of the line in a non-US company,
	// and TaxRate its rate in percent (20 for 20 %).
	TaxCode string
	TaxRate decimal.Decimal
	// IncludedTaxRate is the tax rate in percent that UnitPrice includes in
	// a US company when the deal's prices include tax (Pipedrive's rate of
	// the product): ComputeTotals takes it out to send a net price.
	IncludedTaxRate decimal.Decimal
	// Deal is the deal product the line came from, as Pipedrive priced it;
	// nil for a line the rep added.
	Deal *DealLine
	// Recurring marks a Pipedrive product billed more than once (its
	// billing_frequency is not one-time). The invoice bills it once; the
	// editor warns the rep (see Warnings).
	Recurring bool
}

// DiscountType says how a discount's Value is meant.
type DiscountType int

const (
	// DiscountPercentage means Value is a percentage (10 for 10 %).
	DiscountPercentage DiscountType = iota
	// DiscountAmount means Value is an amount in the invoice currency.
	DiscountAmount
)

// Discount is a percentage or amount off a line or off the whole invoice,
// as Pipedrive's discount/discount_type and deal discounts carry them.
type Discount struct {
	Description string
	Type        DiscountType
	Value       decimal.Decimal
}

// IsZero reports whether the discount takes nothing off.
func (d Discount) IsZero() bool { return d.Value.IsZero() }

// TaxModel is how the QuickBooks company computes sales tax; it follows
// CompanyInfo.Country.
type TaxModel int

const (
	// TaxUS: lines are taxable or not, and one transaction tax rate applies
	// to the taxable lines (TxnTaxDetail.TxnTaxCodeRef).
	TaxUS TaxModel = iota
	// TaxGlobal: every line carries a tax code with its own rate, and
	// GlobalTaxCalculation says whether prices include tax.
	TaxGlobal
)

// GlobalTaxCalculation is the QuickBooks GlobalTaxCalculation of a non-US invoice.
type GlobalTaxCalculation string

// The values QuickBooks accepts for GlobalTaxCalculation.
const (
	TaxExcluded   GlobalTaxCalculation = "TaxExcluded"
	TaxInclusive  GlobalTaxCalculation = "TaxInclusive"
	NotApplicable GlobalTaxCalculation = "NotApplicable"
)

// TaxSettings are the invoice's tax choices under the company's tax model.
type TaxSettings struct {
	Model TaxModel

	// US companies: the transaction tax code and its rate in percent (8 for
	// 8 %). An empty TxnTaxCode means no sales tax. ApplyTaxAfterDiscount
	// subtracts the deal discount before tax is computed.
	TxnTaxCode            string
	TxnTaxRate            decimal.Decimal
	ApplyTaxAfterDiscount bool

	// PricesIncludeTax (US companies) says the line prices include the tax
	// at each line's IncludedTaxRate, as in a Pipedrive deal whose
	// tax_method is inclusive. QuickBooks US has no tax-inclusive mode, so
	// ComputeTotals sends net prices.
	PricesIncludeTax bool

	// NewLinesTaxable (US companies) is the preference TaxableByDefault as the draft was built: a line
	// added in the editor is taxable when it is on (NewLine), by the same rule as a product without a rate.
	NewLinesTaxable bool `json:",omitempty"`

	// Non-US companies: whether line prices exclude or include tax, or no tax applies.
	Calculation GlobalTaxCalculation
}

// Inclusive reports whether the draft's line prices include tax.
func (t TaxSettings) Inclusive() bool {
	if t.Model == TaxUS {
		return t.PricesIncludeTax
	}
	return t.Calculation == TaxInclusive
}

// DealFigures are a deal's amounts as Pipedrive has them.
type DealFigures struct {
	// Value is the deal value in Currency.
	Value    decimal.Decimal
	Currency string
	// TaxMethod is the deal-wide tax_method of its products ("" without products).
	TaxMethod TaxMethod
	// Products counts the enabled deal products; the draft's lines that
	// came from them carry their DealLine.
	Products int
	// ProductsSum is the sum of the enabled products' sum fields.
	ProductsSum decimal.Decimal
	// Lines are the enabled deal products as Pipedrive priced them.
	Lines []DealLine
	// Discounts are the deal-level discounts as Pipedrive has them.
	Discounts []Discount
	// Title names the deal; a deal without products is billed as one line of that name.
	Title string
}

// IsZero reports whether the figures describe no deal.
func (f DealFigures) IsZero() bool { return f.Currency == "" && f.Value.IsZero() && f.Products == 0 }

// DealLine is one deal product as Pipedrive priced it.
type DealLine struct {
	Quantity  decimal.Decimal
	ItemPrice decimal.Decimal
	Discount  Discount
	// TaxRate is Pipedrive's tax percentage of the product.
	TaxRate decimal.Decimal
	// Sum is Pipedrive's line total.
	Sum decimal.Decimal
}

// NewLine is the line the editor adds to d: one of nothing yet, taxable in a US company when the
// preferences said so as d was built (the rule for a product without a tax rate), and elsewhere with the
// tax code of the line before it.
func NewLine(d Draft) Line {
	l := Line{Quantity: decimal.NewFromInt(1)}
	if d.Tax.Model == TaxUS {
		l.Taxable = d.Tax.NewLinesTaxable
		return l
	}
	if n := len(d.Lines); n > 0 {
		l.TaxCode, l.TaxRate = d.Lines[n-1].TaxCode, d.Lines[n-1].TaxRate
	}
	return l
}
