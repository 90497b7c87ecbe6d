package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// reconcileView shows, above the total, how the invoice QuickBooks will charge compares with the deal in
// Pipedrive: nothing when they agree to the cent, else the two amounts, the difference in the deal's
// currency and its causes line by line.
type reconcileView struct {
	label *widget.Label
}

func newReconcileView() *reconcileView {
	l := &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	l.Hide()
	return &reconcileView{label: l}
}

// show reconciles the draft priced as t and shows the outcome.
func (v *reconcileView) show(d invoicing.Draft, t invoicing.Totals) {
	r := invoicing.Reconcile(d, t)
	if r.Matches() {
		v.label.Hide()
		return
	}
	cur := d.Currency
	lines := []string{lang.X("editor.reconcile.difference",
		"QuickBooks will charge {{.Total}}; the deal bills {{.Expected}} ({{.Basis}}). Difference: {{.Difference}}.",
		map[string]any{"Total": money(r.Total, cur), "Expected": money(r.Expected, cur),
			"Basis": basisText(r.Basis), "Difference": signedMoney(r.Difference, cur)})}
	for _, c := range r.Causes {
		lines = append(lines, "• "+causeText(d, c))
	}
	v.label.SetText(strings.Join(lines, "\n"))
	v.label.Show()
}

// basisText says which of the deal's figures the invoice is held to.
func basisText(b invoicing.Basis) string {
	switch b {
	case invoicing.BasisValueWithTax:
		return lang.X("editor.reconcile.basis.value_with_tax", "the deal value, which includes the tax on top of the products")
	case invoicing.BasisValuePlusTax:
		return lang.X("editor.reconcile.basis.value_plus_tax", "the deal value plus the tax Pipedrive's rates add to the products")
	case invoicing.BasisNoProducts:
		return lang.X("editor.reconcile.basis.no_products", "the deal value, as one line: the deal has no products")
	}
	return lang.X("editor.reconcile.basis.value", "the deal value")
}

// causeText says one cause of the difference, with what it adds.
func causeText(d invoicing.Draft, c invoicing.Cause) string {
	name := ""
	if c.Line >= 0 && c.Line < len(d.Lines) {
		name = d.Lines[c.Line].Name
	}
	data := map[string]any{"Line": name, "Amount": signedMoney(c.Amount, d.Currency),
		"QuickBooks": c.QuickBooksRate.String(), "Pipedrive": c.PipedriveRate.String()}
	switch c.Kind {
	case invoicing.CauseTaxRate:
		return lang.X("editor.reconcile.cause.tax_rate", "{{.Line}}: taxed at {{.QuickBooks}} % in QuickBooks, {{.Pipedrive}} % in Pipedrive ({{.Amount}})", data)
	case invoicing.CauseDiscountSpread:
		return lang.X("editor.reconcile.cause.discount_spread", "QuickBooks spreads the deal discount over the lines before taxing each ({{.Amount}})", data)
	case invoicing.CauseLineChanged:
		return lang.X("editor.reconcile.cause.line_changed", "{{.Line}}: changed from the deal ({{.Amount}})", data)
	case invoicing.CauseLineAdded:
		return lang.X("editor.reconcile.cause.line_added", "{{.Line}}: not in the deal ({{.Amount}})", data)
	case invoicing.CauseLineRemoved:
		return lang.X("editor.reconcile.cause.line_removed", "Products of the deal were removed ({{.Amount}})", data)
	case invoicing.CauseDiscountChanged:
		return lang.X("editor.reconcile.cause.discount_changed", "The deal discount was changed ({{.Amount}})", data)
	case invoicing.CauseValueDiffers:
		return lang.X("editor.reconcile.cause.value_differs", "The deal value in Pipedrive is not what its products add up to ({{.Amount}})", data)
	}
	return lang.X("editor.reconcile.cause.rounding", "QuickBooks rounds the tax to the cent; no price gives back the deal's amount exactly ({{.Amount}})", data)
}

// signedMoney writes an amount with its currency and sign, + for a positive one.
func signedMoney(a decimal.Decimal, currency string) string {
	if a.IsPositive() {
		return "+" + money(a, currency)
	}
	return money(a, currency)
}
