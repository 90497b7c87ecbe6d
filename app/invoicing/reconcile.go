package invoicing

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/shopspring/decimal"
)

// Basis says which of the deal's figures the invoice is held to, and why.
type Basis string

// The bases of a reconciliation.
const (
	// BasisValue: the prices include tax, or there is no tax; the deal
	// value is what the customer pays.
	BasisValue Basis = "deal_value"
	// BasisValueWithTax: the prices exclude tax and the deal value equals the
	// products less the deal discounts plus their tax at Pipedrive's rates.
	BasisValueWithTax Basis = "deal_value_with_tax"
	// BasisValuePlusTax: the prices exclude tax and the deal value equals
	// the products less the deal discounts without tax; the invoice is held
	// to the value plus the tax at Pipedrive's rates.
	BasisValuePlusTax Basis = "deal_value_plus_tax"
	// BasisNoProducts: the deal has no products; one line bills its value.
	BasisNoProducts Basis = "no_products"
	// BasisNoDeal: the draft came from no deal; there is nothing to compare.
	BasisNoDeal Basis = "no_deal"
)

// CauseKind names why the invoice differs from the deal.
type CauseKind string

// The causes of a difference.
const (
	// CauseTaxRate: QuickBooks taxes the line at another rate than Pipedrive.
	CauseTaxRate CauseKind = "tax_rate"
	// CauseRounding: QuickBooks rounds tax (per line outside the US, once
	// in the US) so that no net price gives back the deal's amount to the cent.
	CauseRounding CauseKind = "rounding"
	// CauseDiscountSpread: the deal discount, pro-rated through the lines
	// before tax, rounds differently from the deal.
	CauseDiscountSpread CauseKind = "discount_spread"
	// CauseLineChanged: the rep changed a line's quantity, price, discount or tax.
	CauseLineChanged CauseKind = "line_changed"
	// CauseLineAdded: the rep added a line that is not in the deal.
	CauseLineAdded CauseKind = "line_added"
	// CauseLineRemoved: the rep removed lines of the deal.
	CauseLineRemoved CauseKind = "line_removed"
	// CauseDiscountChanged: the rep changed the deal-level discounts.
	CauseDiscountChanged CauseKind = "discount_changed"
	// CauseValueDiffers: the deal value in Pipedrive is not what its products add up to.
	CauseValueDiffers CauseKind = "value_differs"
)

// Cause is one reason for a difference.
type Cause struct {
	Kind CauseKind
	// Line is the index of the draft line concerned, -1 for the whole invoice.
	Line int
	// Amount is what the cause adds to the invoice's total compared with the
	// deal (negative when it lowers it), in the deal's currency. A tax rate
	// that differs on a tax-inclusive line outside the US changes the tax,
	// not the total: Amount is then zero.
	Amount decimal.Decimal
	// PipedriveRate and QuickBooksRate are the two rates of a CauseTaxRate.
	PipedriveRate, QuickBooksRate decimal.Decimal
	// Message says it in one English sentence (the window translates by Kind).
	Message string
}

// Reconciliation compares the invoice QuickBooks will record with the deal
// in Pipedrive, before it is created.
type Reconciliation struct {
	Currency string
	// DealValue is the deal's value in Pipedrive.
	DealValue decimal.Decimal
	// ProductsSum is the sum of the products' own sum fields in Pipedrive.
	ProductsSum decimal.Decimal
	// ProductsNet is the products (quantity × price less their discounts)
	// less the deal discounts, as the deal lists them.
	ProductsNet decimal.Decimal
	// ProductsTax is the tax Pipedrive's rates put on top of ProductsNet
	// when the prices exclude tax (the deal discount pro-rated first); zero
	// when they include it or there is none.
	ProductsTax decimal.Decimal
	// Expected is what the deal bills, by Basis.
	Expected decimal.Decimal
	Basis    Basis
	// Total is the invoice total QuickBooks will charge (ComputeTotals).
	Total decimal.Decimal
	// Difference is Total − Expected.
	Difference decimal.Decimal
	// Causes explain the difference line by line; a cause with a zero
	// Amount (a tax rate that differs but does not change the total) may be
	// present when Difference is zero.
	Causes []Cause
}

// Matches reports whether the invoice bills what the deal does, to the cent.
func (r Reconciliation) Matches() bool { return r.Difference.IsZero() }

// Reconcile compares the draft, priced as t (ComputeTotals(d)), with the
// deal it was built from (d.Source).
//
// Pipedrive does not document whether a deal's value includes tax that its
// products add on top (tax_method exclusive), so both readings are tried:
// the value is held to be the products with their tax when it equals that,
// else the products without tax plus the tax when it equals those, else
// itself with a CauseValueDiffers naming the gap.
func Reconcile(d Draft, t Totals) Reconciliation {
	src := d.Source
	r := Reconciliation{Currency: d.Currency, Total: t.Total, DealValue: src.Value, ProductsSum: src.ProductsSum}
	if src.IsZero() {
		r.Basis, r.Expected = BasisNoDeal, t.Total
		return r
	}
	places := CurrencyDecimals(d.Currency)
	exclusive := src.TaxMethod == TaxMethodExclusive
	deal := dealPricing(src, places, exclusive)
	r.ProductsNet, r.ProductsTax = deal.net, deal.tax
	r.Expected, r.Basis = src.Value, BasisValue
	switch {
	case src.Products == 0:
		r.Basis = BasisNoProducts
	case exclusive && !deal.tax.IsZero() && src.Value.Equal(deal.net.Add(deal.tax)):
		r.Basis = BasisValueWithTax
	case exclusive && !deal.tax.IsZero() && src.Value.Equal(deal.net):
		r.Basis, r.Expected = BasisValuePlusTax, deal.net.Add(deal.tax)
	case !src.Value.Equal(deal.net.Add(deal.tax)):
		gap := deal.net.Add(deal.tax).Sub(src.Value)
		r.Causes = append(r.Causes, Cause{Kind: CauseValueDiffers, Line: -1, Amount: gap,
			Message: fmt.Sprintf("the deal value in Pipedrive is %s, but its products add up to %s",
				Money{src.Value, d.Currency}, Money{deal.net.Add(deal.tax), d.Currency})})
	}
	r.Difference = t.Total.Sub(r.Expected)
	r.Causes = append(r.Causes, editCauses(d, t, src, places, exclusive)...)
	r.Causes = append(r.Causes, rateCauses(d, t, places, exclusive)...)

	explained := decimal.Zero
	for _, c := range r.Causes {
		explained = explained.Add(c.Amount)
	}
	if rest := r.Difference.Sub(explained); !rest.IsZero() {
		c := Cause{Kind: CauseRounding, Line: -1, Amount: rest}
		switch {
		case !t.Discount.IsZero() && d.Tax.Model == TaxGlobal:
			c.Kind = CauseDiscountSpread
			c.Message = fmt.Sprintf("QuickBooks spreads the deal discount over the lines before taxing each: %s",
				Money{rest, d.Currency})
		case d.Tax.Model == TaxUS:
			c.Message = fmt.Sprintf("QuickBooks rounds the tax of the whole invoice once, Pipedrive per product: %s",
				Money{rest, d.Currency})
		default:
			c.Message = fmt.Sprintf("no net price gives back every line's amount to the cent once QuickBooks rounds its tax: %s",
				Money{rest, d.Currency})
		}
		r.Causes = append(r.Causes, c)
	}
	return r
}

// pricing is a deal's own figures: the products less the deal discounts,
// and (prices excluding tax) their tax at Pipedrive's rates.
type pricing struct {
	net, tax decimal.Decimal
}

// dealLineValue is a deal product as listed: quantity × price less its discount, rounded.
func dealLineValue(l DealLine, places int32) decimal.Decimal {
	return lineTotal(Line{Quantity: l.Quantity, UnitPrice: l.ItemPrice, Discount: l.Discount}, places).Listed
}

func dealPricing(src DealFigures, places int32, exclusive bool) pricing {
	sub := decimal.Zero
	values := make([]decimal.Decimal, len(src.Lines))
	for i, l := range src.Lines {
		values[i] = dealLineValue(l, places)
		sub = sub.Add(values[i])
	}
	disc := decimal.Zero
	for _, x := range src.Discounts {
		disc = disc.Add(discountAmount(x, sub, places))
	}
	p := pricing{net: sub.Sub(disc)}
	if !exclusive {
		return p
	}
	given := decimal.Zero
	for i, l := range src.Lines {
		share := decimal.Zero
		if !sub.IsZero() {
			share = disc.Mul(values[i]).DivRound(sub, places)
		}
		if i == len(src.Lines)-1 {
			share = disc.Sub(given)
		}
		given = given.Add(share)
		p.tax = p.tax.Add(values[i].Sub(share).Mul(l.TaxRate).Shift(-2).Round(places))
	}
	return p
}

// lineCharge is what a line adds to the total as the deal would bill it:
// its listed amount, plus its tax at rate when prices exclude tax.
func lineCharge(listed, rate decimal.Decimal, places int32, exclusive bool) decimal.Decimal {
	if !exclusive {
		return listed
	}
	return listed.Add(listed.Mul(rate).Shift(-2).Round(places))
}

// editCauses names the rep's changes to lines and discounts.
func editCauses(d Draft, t Totals, src DealFigures, places int32, exclusive bool) []Cause {
	var out []Cause
	fromDeal := 0
	for i, l := range d.Lines {
		if src.Products == 0 {
			break // the deal's value line
		}
		rate := quickBooksRate(d, l)
		now := lineCharge(t.Lines[i].Listed, rate, places, exclusive)
		if l.Deal == nil {
			out = append(out, Cause{Kind: CauseLineAdded, Line: i, Amount: now,
				Message: fmt.Sprintf("line %d (%s) is not in the deal", i+1, l.Name)})
			continue
		}
		fromDeal++
		orig := *l.Deal
		if l.Quantity.Equal(orig.Quantity) && l.UnitPrice.Equal(orig.ItemPrice) && l.Discount.Type == orig.Discount.Type &&
			l.Discount.Value.Equal(orig.Discount.Value) {
			continue
		}
		was := lineCharge(dealLineValue(orig, places), rate, places, exclusive)
		out = append(out, Cause{Kind: CauseLineChanged, Line: i, Amount: now.Sub(was),
			Message: fmt.Sprintf("line %d (%s) was changed from the deal", i+1, l.Name)})
	}
	if src.Products > 0 && fromDeal < src.Products {
		// What the remaining deal lines were worth against all the products.
		kept := decimal.Zero
		for _, l := range d.Lines {
			if l.Deal != nil {
				kept = kept.Add(lineCharge(dealLineValue(*l.Deal, places), l.Deal.TaxRate, places, exclusive))
			}
		}
		all := decimal.Zero
		for _, l := range src.Lines {
			all = all.Add(lineCharge(dealLineValue(l, places), l.TaxRate, places, exclusive))
		}
		out = append(out, Cause{Kind: CauseLineRemoved, Line: -1, Amount: kept.Sub(all),
			Message: fmt.Sprintf("%d of the deal's products were removed", src.Products-fromDeal)})
	}
	if !reflect.DeepEqual(normalDiscounts(d.Discounts), normalDiscounts(src.Discounts)) {
		was := decimal.Zero
		sub := decimal.Zero
		for _, lt := range t.Lines {
			sub = sub.Add(lt.Listed)
		}
		for _, x := range src.Discounts {
			was = was.Add(discountAmount(x, sub, places))
		}
		out = append(out, Cause{Kind: CauseDiscountChanged, Line: -1, Amount: was.Sub(t.ListedDiscount),
			Message: "the deal discount was changed"})
	}
	return out
}

// normalDiscounts makes discounts comparable whatever their decimals' form.
func normalDiscounts(ds []Discount) []string {
	var out []string
	for _, x := range ds {
		out = append(out, fmt.Sprintf("%d/%s", x.Type, x.Value.String()))
	}
	return out
}

// quickBooksRate is the rate QuickBooks will tax a line at.
func quickBooksRate(d Draft, l Line) decimal.Decimal {
	switch {
	case d.Tax.Model == TaxGlobal && (d.Tax.Calculation == TaxExcluded || d.Tax.Calculation == TaxInclusive):
		return l.TaxRate
	case d.Tax.Model == TaxUS && l.Taxable && d.Tax.TxnTaxCode != "":
		return d.Tax.TxnTaxRate
	}
	return decimal.Zero
}

// rateCauses names each deal line QuickBooks taxes at another rate than
// Pipedrive, with what that adds to the total.
func rateCauses(d Draft, t Totals, places int32, exclusive bool) []Cause {
	var out []Cause
	for i, l := range d.Lines {
		if l.Deal == nil {
			continue
		}
		qb, pd := quickBooksRate(d, l), l.Deal.TaxRate
		if qb.Equal(pd) {
			continue
		}
		// What the other rate makes of the line's net, less its share of the
		// deal discount. A tax-inclusive line outside the US was made net at
		// QuickBooks' rate: its total does not change, only its tax.
		var amount decimal.Decimal
		base := t.Lines[i].Amount
		if !t.Subtotal.IsZero() {
			base = base.Sub(t.Discount.Mul(base).DivRound(t.Subtotal, places))
		}
		switch {
		case exclusive:
			amount = base.Mul(qb.Sub(pd)).Shift(-2).Round(places)
		case d.Tax.Model == TaxUS && d.Source.TaxMethod == TaxMethodInclusive:
			// The price was made net at the rate it includes (none when
			// QuickBooks does not tax the line); QuickBooks adds its own.
			amount = base.Mul(qb.Sub(includedRate(d, l))).Shift(-2).Round(places)
		}
		out = append(out, Cause{Kind: CauseTaxRate, Line: i, Amount: amount, PipedriveRate: pd, QuickBooksRate: qb,
			Message: fmt.Sprintf("line %d (%s) is taxed at %s%% in QuickBooks but %s%% in Pipedrive", i+1, l.Name, qb, pd)})
	}
	return out
}

// DifferenceError refuses an invoice that would bill other than the deal,
// a difference the rep has not accepted.
type DifferenceError struct {
	Reconciliation Reconciliation
}

func (e *DifferenceError) Error() string {
	r := e.Reconciliation
	var parts []string
	for _, c := range r.Causes {
		if !c.Amount.IsZero() || c.Kind == CauseTaxRate {
			parts = append(parts, c.Message)
		}
	}
	return fmt.Sprintf("The invoice would bill %s but the deal %s (%s)", Money{r.Total, r.Currency}, Money{r.Expected, r.Currency},
		strings.Join(parts, "; "))
}

// CheckDifference returns a *DifferenceError unless the draft bills what
// its deal does, or accepted says the rep accepts the difference.
func CheckDifference(d Draft, accepted bool) error {
	if r := Reconcile(d, ComputeTotals(d)); !r.Matches() && !accepted {
		return &DifferenceError{Reconciliation: r}
	}
	return nil
}
