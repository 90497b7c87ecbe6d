package ui

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// taxRatesEditor lists, outside the US, the Pipedrive tax rates with the QuickBooks tax code remembered for
// each (invoicing.Preferences.TaxCodeByRate): the rep may choose another code, or let the next draft find
// one by rate again.
type taxRatesEditor struct {
	codes []invoicing.TaxCode
	keys  []string // the rates, lowest first
	rows  []*widget.Select
	box   *fyne.Container
}

// newTaxRatesEditor shows the remembered codes; it is nil when none is remembered.
func newTaxRatesEditor(codes []invoicing.TaxCode, remembered map[string]string, changed func(string)) *taxRatesEditor {
	if len(remembered) == 0 {
		return nil
	}
	e := &taxRatesEditor{codes: codes, box: container.NewVBox()}
	for k := range remembered {
		e.keys = append(e.keys, k)
	}
	sort.Slice(e.keys, func(i, j int) bool {
		a, _ := decimal.NewFromString(e.keys[i])
		b, _ := decimal.NewFromString(e.keys[j])
		return a.LessThan(b)
	})
	names := []string{lang.X("prefs.tax_rates.find", "Find a code with this rate")}
	for _, c := range codes {
		names = append(names, c.Name)
	}
	for _, k := range e.keys {
		s := widget.NewSelect(names, nil)
		s.SetSelectedIndex(0)
		for i, c := range codes {
			if c.ID == remembered[k] {
				s.SetSelectedIndex(i + 1)
			}
		}
		s.OnChanged = changed
		e.rows = append(e.rows, s)
		rate := widget.NewLabel(lang.X("prefs.tax_rates.rate", "{{.Rate}} % in Pipedrive", map[string]any{"Rate": k}))
		e.box.Add(container.NewGridWithColumns(2, rate, wideSelect(s)))
	}
	return e
}

// read returns the codes as chosen: never nil, so saving an emptied list forgets every code.
func (e *taxRatesEditor) read() map[string]string {
	out := map[string]string{}
	for i, s := range e.rows {
		if j := s.SelectedIndex(); j > 0 {
			out[e.keys[i]] = e.codes[j-1].ID
		}
	}
	return out
}
