package invoicing

import "github.com/shopspring/decimal"

// UnitPricePlaces is the number of decimals QuickBooks keeps in a line's
// UnitPrice. UNVERIFIED: Intuit's community answers say "Rate/Unit Price
// fields on invoices have a precision of seven (7) decimal places"; the API
// notes do not say.
const UnitPricePlaces = 7

var hundred = decimal.NewFromInt(100)

// LineTotal is one line as QuickBooks will compute it.
type LineTotal struct {
	// Gross is Quantity × the line's own UnitPrice, rounded to the currency,
	// before the line's discount.
	Gross decimal.Decimal
	// UnitPrice is the unit price to send to QuickBooks. A SalesItemLine has
	// no discount field, so the line's discount is folded into the unit price
	// (rounded to UnitPricePlaces); the line keeps its quantity.
	UnitPrice decimal.Decimal
	// Amount is the line's Amount in QuickBooks: Quantity × UnitPrice,
	// rounded to the currency.
	Amount decimal.Decimal
	// Discount is Gross − Amount: the line discount as the invoice will carry it.
	Discount decimal.Decimal
	// Tax is this line's tax in a non-US company (always zero in a US
	// company, whose tax is computed once for the whole invoice). With
	// TaxInclusive the Amount includes this tax and Amount − Tax is the net.
	// UNVERIFIED which of the two QuickBooks wants in Line.Amount then; the
	// gross goes in SalesItemLineDetail.TaxInclusiveAmt.
	Tax decimal.Decimal
}

// Totals are the invoice amounts as QuickBooks will compute them.
type Totals struct {
	Currency string
	Lines    []LineTotal // in the order of Draft.Lines
	// Subtotal is the sum of the line Amounts (the SubTotalLine).
	Subtotal decimal.Decimal
	// Discount is the sum of the deal-level discounts, sent as one
	// amount-based discount line.
	Discount decimal.Decimal
	// Taxable is the amount tax is computed on, excluding tax
	// (TaxLine NetAmountTaxable, summed).
	Taxable decimal.Decimal
	Tax     decimal.Decimal // TxnTaxDetail.TotalTax
	Total   decimal.Decimal // TotalAmt
}

// ComputeTotals computes the draft's amounts with decimals, the way
// QuickBooks will:
//
//   - each line: Amount = Quantity × UnitPrice rounded to the currency's
//     decimals, after folding the line's discount into its unit price;
//   - deal-level discounts: a percentage is taken of the subtotal and rounded,
//     an amount is taken as is; their sum is one discount line;
//   - US tax (TaxUS): the transaction rate applied once to the taxable lines
//     and rounded, as in Intuit's sample invoice (NetAmountTaxable 335.25 at
//     8 % = 26.82). With ApplyTaxAfterDiscount the discount is first shared
//     out over the lines by amount (UNVERIFIED how QuickBooks shares it).
//     With automated sales tax QuickBooks picks the rate itself, so the figure
//     is only as good as TxnTaxRate;
//   - non-US tax (TaxGlobal): tax per line at the line's rate, each rounded,
//     then summed (UNVERIFIED: Intuit community answers and integrators'
//     notes say QuickBooks outside the US taxes line by line); the deal
//     discount is shared out over the lines by amount before tax (UNVERIFIED);
//     with TaxInclusive the line amounts already hold their tax.
//
// Invalid drafts (see Validate) still get totals; they are just not useful.
func ComputeTotals(d Draft) Totals {
	places := CurrencyDecimals(d.Currency)
	t := Totals{Currency: d.Currency, Lines: make([]LineTotal, len(d.Lines))}
	for i, l := range d.Lines {
		t.Lines[i] = lineTotal(l, places)
		t.Subtotal = t.Subtotal.Add(t.Lines[i].Amount)
	}
	for _, disc := range d.Discounts {
		t.Discount = t.Discount.Add(discountAmount(disc, t.Subtotal, places))
	}

	switch d.Tax.Model {
	case TaxUS:
		usTax(&t, d, places)
		t.Total = t.Subtotal.Sub(t.Discount).Add(t.Tax)
	case TaxGlobal:
		globalTax(&t, d, places)
		t.Total = t.Subtotal.Sub(t.Discount)
		if d.Tax.Calculation == TaxExcluded {
			t.Total = t.Total.Add(t.Tax)
		}
	}
	return t
}

func lineTotal(l Line, places int32) LineTotal {
	gross := l.Quantity.Mul(l.UnitPrice).Round(places)
	unit := l.UnitPrice
	switch {
	case l.Discount.IsZero():
	case l.Discount.Type == DiscountPercentage:
		unit = unit.Mul(hundred.Sub(l.Discount.Value)).Shift(-2).Round(UnitPricePlaces)
	case l.Quantity.IsZero():
		// Nothing to spread an amount over; the line is worth nothing anyway.
	default:
		net := l.Quantity.Mul(l.UnitPrice).Sub(l.Discount.Value)
		unit = net.DivRound(l.Quantity, UnitPricePlaces)
	}
	amount := l.Quantity.Mul(unit).Round(places)
	return LineTotal{Gross: gross, UnitPrice: unit, Amount: amount, Discount: gross.Sub(amount)}
}

// discountAmount is what one deal-level discount takes off subtotal.
func discountAmount(d Discount, subtotal decimal.Decimal, places int32) decimal.Decimal {
	if d.Type == DiscountPercentage {
		return subtotal.Mul(d.Value).Shift(-2).Round(places)
	}
	return d.Value.Round(places)
}

func usTax(t *Totals, d Draft, places int32) {
	if d.Tax.TxnTaxCode == "" {
		return
	}
	taxable := decimal.Zero
	for i, l := range d.Lines {
		if l.Taxable {
			taxable = taxable.Add(t.Lines[i].Amount)
		}
	}
	if d.Tax.ApplyTaxAfterDiscount && !t.Subtotal.IsZero() {
		taxable = taxable.Sub(t.Discount.Mul(taxable).DivRound(t.Subtotal, places))
	}
	t.Taxable = taxable
	t.Tax = taxable.Mul(d.Tax.TxnTaxRate).Shift(-2).Round(places)
}

func globalTax(t *Totals, d Draft, places int32) {
	if d.Tax.Calculation != TaxExcluded && d.Tax.Calculation != TaxInclusive {
		return
	}
	shares := shareDiscount(t, places)
	for i, l := range d.Lines {
		base := t.Lines[i].Amount.Sub(shares[i])
		var tax decimal.Decimal
		if d.Tax.Calculation == TaxInclusive {
			tax = base.Mul(l.TaxRate).DivRound(hundred.Add(l.TaxRate), places)
			base = base.Sub(tax)
		} else {
			tax = base.Mul(l.TaxRate).Shift(-2).Round(places)
		}
		t.Lines[i].Tax = tax
		t.Tax = t.Tax.Add(tax)
		t.Taxable = t.Taxable.Add(base)
	}
}

// shareDiscount splits the deal discount over the lines in proportion to
// their amounts, each share rounded; the last line with an amount takes the
// rounding difference so the shares add up to the discount exactly.
func shareDiscount(t *Totals, places int32) []decimal.Decimal {
	shares := make([]decimal.Decimal, len(t.Lines))
	if t.Discount.IsZero() || t.Subtotal.IsZero() {
		return shares
	}
	last := -1
	given := decimal.Zero
	for i, lt := range t.Lines {
		if lt.Amount.IsZero() {
			continue
		}
		shares[i] = t.Discount.Mul(lt.Amount).DivRound(t.Subtotal, places)
		given = given.Add(shares[i])
		last = i
	}
	if last >= 0 {
		shares[last] = shares[last].Add(t.Discount.Sub(given))
	}
	return shares
}
