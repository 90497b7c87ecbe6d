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
	// before the line's discount (tax included when the prices include it).
	Gross decimal.Decimal
	// Listed is the line as the draft lists it: Gross less the line's
	// discount, tax included when the prices include tax.
	Listed decimal.Decimal
	// UnitPrice is the net unit price to send to QuickBooks. A SalesItemLine
	// has no discount field, so the line's discount is folded into the unit
	// price (rounded to UnitPricePlaces); the line keeps its quantity.
	UnitPrice decimal.Decimal
	// Amount is the line's Amount in QuickBooks, always net of tax:
	// Quantity × UnitPrice, rounded to the currency.
	Amount decimal.Decimal
	// Discount is Gross − Listed: the line discount as the invoice will carry it.
	Discount decimal.Decimal
	// TaxInclusiveAmt is, outside the US with TaxInclusive, the line's
	// amount with tax (Listed), sent as SalesItemLineDetail.TaxInclusiveAmt;
	// zero otherwise.
	TaxInclusiveAmt decimal.Decimal
	// DiscountShare is, outside the US, the part of the deal discount
	// QuickBooks pro-rates to this line before taxing it.
	DiscountShare decimal.Decimal
	// Tax is this line's tax in a non-US company (always zero in a US
	// company, whose tax is computed once for the whole invoice).
	Tax decimal.Decimal
}

// Totals are the invoice amounts as QuickBooks will compute them.
type Totals struct {
	Currency string
	Lines    []LineTotal // in the order of Draft.Lines
	// Subtotal is the sum of the line Amounts (the SubTotalLine), net of tax.
	Subtotal decimal.Decimal
	// Discount is the deal-level discount sent as one amount-based discount
	// line: net of tax, like every Amount.
	Discount decimal.Decimal
	// ListedDiscount is the sum of the deal-level discounts as the draft
	// lists them (tax included when the prices include it).
	ListedDiscount decimal.Decimal
	// Taxable is the amount tax is computed on, excluding tax
	// (TaxLine NetAmountTaxable, summed).
	Taxable decimal.Decimal
	Tax     decimal.Decimal // TxnTaxDetail.TotalTax
	Total   decimal.Decimal // TotalAmt
	// Listed is what the draft's lines list, less the deal discounts: with
	// prices that include tax, the amount the customer is meant to pay.
	Listed decimal.Decimal
	// Unmatched is Total − Listed when the prices include tax: the cents by
	// which no net price gives back the listed gross once QuickBooks has
	// rounded its tax, plus any tax QuickBooks adds to a line whose price
	// included none. Zero when the prices exclude tax.
	Unmatched decimal.Decimal
}

// ComputeTotals computes the draft's amounts with decimals, the way
// QuickBooks will (api/quickbooks.md §6). It is the one place the app does
// invoice arithmetic; the editor, the CLI, the request sent and the
// reconciliation all read it.
//
//   - each line: Amount = Quantity × UnitPrice rounded to the currency's
//     decimals, after folding the line's discount into its unit price;
//   - deal-level discounts: a percentage is taken of the subtotal and rounded,
//     an amount is taken as is; their sum is one discount line;
//   - prices that include tax (Pipedrive's tax_method inclusive) become net:
//     QuickBooks keeps Line.Amount net in every company (quickbooks-ruby
//     #346: "By default QuickBooks assumes all prices exclude tax"). Each
//     line's net is the amount whose tax, as QuickBooks rounds it, gives back
//     the listed gross to the cent where one exists; the discount line is
//     made net the same way. Outside the US the gross also goes out as
//     TaxInclusiveAmt;
//   - US tax (TaxUS): one rate for the whole transaction, applied once to the
//     taxable lines and rounded (XSD TaxLineDetail.TaxRateRef: "the TaxRate
//     applied to the entire transaction"). ApplyTaxAfterDiscount false or
//     unset taxes the amount before the discount; true subtracts the
//     discount's taxable share first (XSD). With automated sales tax
//     QuickBooks picks the rate itself, so the figure is only as good as
//     TxnTaxRate;
//   - non-US tax (TaxGlobal): the deal discount is pro-rated through the item
//     lines (XSD DiscountAmt), then tax is computed per line at the line's
//     rate, rounded per line, and summed (a real Canadian invoice in
//     quickbooks-ruby's fixtures: TotalTax 1.11 where 13 % of the summed
//     8.49 would be 1.10). How QuickBooks rounds the pro-rated shares is
//     UNVERIFIED; here the last line takes the rounding remainder.
//
// Rounding is half away from zero (see RoundAmount). Invalid drafts (see
// Validate) still get totals; they are just not useful.
func ComputeTotals(d Draft) Totals {
	places := CurrencyDecimals(d.Currency)
	t := Totals{Currency: d.Currency, Lines: make([]LineTotal, len(d.Lines))}
	listedSub := decimal.Zero
	for i, l := range d.Lines {
		t.Lines[i] = lineTotal(l, places)
		listedSub = listedSub.Add(t.Lines[i].Listed)
	}
	for _, disc := range d.Discounts {
		t.ListedDiscount = t.ListedDiscount.Add(discountAmount(disc, listedSub, places))
	}
	t.Listed = listedSub.Sub(t.ListedDiscount)
	t.Discount = t.ListedDiscount
	if !d.Tax.Inclusive() {
		t.finish(d, places)
		return t
	}

	netSub := decimal.Zero
	for i, l := range d.Lines {
		lt := &t.Lines[i]
		rate := includedRate(d, l)
		lt.Amount, _ = netFor(lt.Listed, rate, places)
		netSub = netSub.Add(lt.Amount)
		if d.Tax.Model == TaxGlobal {
			lt.TaxInclusiveAmt = lt.Listed
		}
	}
	if !listedSub.IsZero() {
		t.Discount = t.ListedDiscount.Mul(netSub).DivRound(listedSub, places)
	}
	t.finish(d, places)
	t.fit(d, places)
	for i, l := range d.Lines {
		t.Lines[i].UnitPrice = netUnitPrice(l, t.Lines[i], includedRate(d, l))
	}
	return t
}

// includedRate is the tax rate a line's listed price includes, the one
// taken out to make it net: the line's QuickBooks rate outside the US; in
// the US, when QuickBooks will tax the line, Pipedrive's rate of the product
// (QuickBooks' rate for a line the rep added), else none: the gross is
// billed as it is.
func includedRate(d Draft, l Line) decimal.Decimal {
	switch {
	case d.Tax.Model == TaxGlobal:
		return l.TaxRate
	case !l.Taxable || d.Tax.TxnTaxCode == "":
		return decimal.Zero
	case l.Deal == nil:
		return d.Tax.TxnTaxRate
	}
	return l.IncludedTaxRate
}

// netFor returns the net amount whose tax at rate, rounded to places, adds
// up to gross, and whether one exists; if none does, the nearest net.
func netFor(gross, rate decimal.Decimal, places int32) (decimal.Decimal, bool) {
	if rate.IsZero() || gross.IsZero() {
		return gross, true
	}
	n0 := gross.Mul(hundred).DivRound(hundred.Add(rate), places)
	u := decimal.New(1, -places)
	for _, n := range []decimal.Decimal{n0, n0.Sub(u), n0.Add(u)} {
		if n.Add(n.Mul(rate).Shift(-2).Round(places)).Equal(gross) {
			return n, true
		}
	}
	return n0, false
}

// netUnitPrice is the unit price QuickBooks gets for a line whose prices
// include tax: Amount ÷ Quantity to UnitPricePlaces, so that QuickBooks'
// own check Amount = Qty × UnitPrice holds.
func netUnitPrice(l Line, lt LineTotal, rate decimal.Decimal) decimal.Decimal {
	if l.Quantity.IsZero() {
		return lt.UnitPrice.Mul(hundred).DivRound(hundred.Add(rate), UnitPricePlaces)
	}
	return lt.Amount.DivRound(l.Quantity, UnitPricePlaces)
}

// finish computes subtotal, tax and total from the line amounts and the
// discount as they stand.
func (t *Totals) finish(d Draft, places int32) {
	t.Subtotal, t.Tax, t.Taxable = decimal.Zero, decimal.Zero, decimal.Zero
	for i := range t.Lines {
		t.Lines[i].Tax, t.Lines[i].DiscountShare = decimal.Zero, decimal.Zero
		t.Subtotal = t.Subtotal.Add(t.Lines[i].Amount)
	}
	switch d.Tax.Model {
	case TaxUS:
		usTax(t, d, places)
	case TaxGlobal:
		globalTax(t, d, places)
	}
	t.Total = t.Subtotal.Sub(t.Discount).Add(t.Tax)
	t.Unmatched = decimal.Zero
	if d.Tax.Inclusive() {
		t.Unmatched = t.Total.Sub(t.Listed)
	}
}

// fit moves a net amount by a cent at a time while that brings QuickBooks'
// total closer to the listed gross: the discount line when there is one
// (its net is the app's choice), else in the US the largest taxable line
// (the transaction's tax is rounded once, so a line's own net cannot make
// it exact) when its rate is the one the prices include. Lines outside the US keep their per-line nets, which already
// match their gross where any net can. What remains is Unmatched.
func (t *Totals) fit(d Draft, places int32) {
	u := decimal.New(1, -places)
	knob := func() *decimal.Decimal {
		if !t.Discount.IsZero() {
			return &t.Discount
		}
		if d.Tax.Model != TaxUS {
			return nil
		}
		best := -1
		for _, l := range d.Lines {
			if l.Taxable && !includedRate(d, l).Equal(d.Tax.TxnTaxRate) {
				return nil // QuickBooks' rate is not the deal's: Reconcile names it
			}
		}
		for i, l := range d.Lines {
			if l.Taxable && !l.Quantity.IsZero() && (best < 0 || t.Lines[i].Amount.Abs().GreaterThan(t.Lines[best].Amount.Abs())) {
				best = i
			}
		}
		if best < 0 {
			return nil
		}
		return &t.Lines[best].Amount
	}()
	if knob == nil {
		return
	}
	sign := decimal.NewFromInt(1)
	if knob == &t.Discount {
		sign = sign.Neg() // a larger discount lowers the total
	}
	for range 4 {
		diff := t.Unmatched
		if diff.IsZero() {
			return
		}
		step := u.Mul(sign)
		if diff.IsPositive() {
			step = step.Neg()
		}
		*knob = knob.Add(step)
		t.finish(d, places)
		if t.Unmatched.Abs().GreaterThanOrEqual(diff.Abs()) {
			*knob = knob.Sub(step)
			t.finish(d, places)
			return
		}
	}
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
	return LineTotal{Gross: gross, Listed: amount, UnitPrice: unit, Amount: amount, Discount: gross.Sub(amount)}
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
		tax := base.Mul(l.TaxRate).Shift(-2).Round(places)
		t.Lines[i].DiscountShare = shares[i]
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
