package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// newFiguresLabel returns the label that shows the chosen invoice's figures; hidden while none is chosen.
func newFiguresLabel() *widget.Label {
	l := label(&widget.Label{Wrapping: fyne.TextWrapWord})
	l.Hide()
	return l
}

// showFigures shows what QuickBooks reports on the chosen invoice besides its total and balance: the tax, the
// discount, the deposit taken on it, and the total in the home currency with the exchange rate. A queued
// invoice shows the tax and discount computed for it.
func (l *invoiceList) showFigures() {
	if l.selected < 0 || l.selected >= len(l.history.Items) {
		l.figures.Hide()
		return
	}
	l.figures.SetText(figuresText(l.history.Items[l.selected].Invoice))
	l.figures.Show()
}

// figuresText lists the invoice's tax, and its discount, deposit and home-currency total when it has them.
func figuresText(inv invoicing.Invoice) string {
	cur := inv.Currency
	parts := []string{lang.X("history.figures.tax", "Tax {{.Amount}}", map[string]any{"Amount": money(inv.Tax, cur)})}
	if !inv.Discount.IsZero() {
		parts = append(parts, lang.X("history.figures.discount", "discount {{.Amount}}", map[string]any{"Amount": money(inv.Discount, cur)}))
	}
	if !inv.Deposit.IsZero() {
		parts = append(parts, lang.X("history.figures.deposit", "deposit {{.Amount}} (not a payment)", map[string]any{"Amount": money(inv.Deposit, cur)}))
	}
	if !inv.ExchangeRate.IsZero() {
		parts = append(parts, lang.X("history.figures.home", "{{.Home}} in the home currency at {{.Rate}}",
			map[string]any{"Home": inv.HomeTotal.StringFixed(2), "Rate": inv.ExchangeRate.String()}))
	}
	return strings.Join(parts, " · ")
}
