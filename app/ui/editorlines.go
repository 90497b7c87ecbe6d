package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// lineWeights are the shares of a line's width: product, QuickBooks item, quantity, unit price, discount, tax,
// amount and the remove button.
var lineWeights = []float32{2.6, 2.2, 1.3, 1.4, 1.4, 2.4, 1.7, 0.6}

func lineCells(cells ...fyne.CanvasObject) *fyne.Container {
	return container.New(columns{weights: lineWeights}, cells...)
}

func lineHeader() fyne.CanvasObject {
	return lineCells(
		columnTitle(lang.X("editor.line.name", "Product or service")),
		columnTitle(lang.X("editor.line.item", "QuickBooks item")),
		columnTitle(lang.X("editor.line.quantity", "Quantity")),
		columnTitle(lang.X("editor.line.price", "Unit price")),
		columnTitle(lang.X("editor.line.discount", "Discount")),
		columnTitle(lang.X("editor.line.tax", "Tax")),
		label(&widget.Label{Text: lang.X("editor.line.amount", "Amount"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}),
		widget.NewLabel(""),
	)
}

// lineRow is one editable line of the invoice.
type lineRow struct {
	e                          *invoiceEditor
	name, quantity, price, off *textField
	item                       *widget.Select
	taxable                    *widget.Check  // US companies: the line is taxed or not
	taxCode                    *widget.Select // elsewhere: the line's tax code
	amount                     *widget.Label
	problem                    *widget.Label
	content                    *fyne.Container
}

func (e *invoiceEditor) appendRow(l invoicing.Line) {
	r := &lineRow{e: e, amount: amountLabel(), problem: problemLabel()}
	r.name = newField(e.m)
	r.name.SetText(l.Name)
	r.name.OnChanged = func(s string) { r.touch("name"); r.line().Name = s; e.changed() }
	r.item = r.itemSelect(l.ItemRef)
	r.quantity = r.numberEntry(l.Quantity.String(), "quantity")
	r.price = r.numberEntry(invoicing.AmountText(l.UnitPrice, r.e.draft.Currency), "unit_price")
	r.off = newField(e.m)
	r.off.SetPlaceHolder(lang.X("editor.line.discount.hint", "10% or 5.00"))
	r.off.SetText(discountText(l.Discount))
	r.off.OnChanged = func(string) { r.touch("discount"); r.readDiscount(); e.changed() }
	var tax fyne.CanvasObject
	if e.draft.Tax.Model == invoicing.TaxUS {
		r.taxable = widget.NewCheck(lang.X("editor.line.taxable", "Taxable"), nil)
		r.taxable.SetChecked(l.Taxable)
		r.taxable.OnChanged = func(on bool) { r.touch("tax_code"); r.line().Taxable = on; e.changed() }
		tax = r.taxable
	} else {
		r.taxCode = r.taxSelect(l)
		tax = r.taxCode
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.removeLine(r) })
	r.content = container.NewVBox(lineCells(r.name, r.item, r.quantity, r.price, r.off, tax, r.amount, remove), r.problem)
	e.lines = append(e.lines, r)
	e.linesBox.Add(r.content)
}

// itemSelect offers QuickBooks' items; none chosen means the default item of the preferences. Offline, with no
// items read, it only shows the choice made.
func (r *lineRow) itemSelect(id string) *widget.Select {
	e := r.e
	names := make([]string, len(e.items))
	chosen := -1
	for i, it := range e.items {
		names[i] = it.Name
		if it.ID == id {
			chosen = i
		}
	}
	s := widget.NewSelect(names, nil)
	s.PlaceHolder = lang.X("editor.line.item.default", "Default item")
	if chosen >= 0 {
		s.SetSelectedIndex(chosen)
	}
	if len(names) == 0 {
		s.Disable()
	}
	s.OnChanged = func(string) {
		r.touch("item")
		l := r.line()
		if id := e.items[s.SelectedIndex()].ID; id != l.ItemRef || l.ItemMatch == invoicing.ItemDefault {
			l.ItemRef, l.ItemMatch = id, invoicing.ItemChosen
		}
		if l.ProductID != 0 {
			e.rememberItem(l.ProductID, l.ItemRef)
		}
		e.changed()
	}
	return s
}

// taxSelect offers QuickBooks' tax codes with their rates.
func (r *lineRow) taxSelect(l invoicing.Line) *widget.Select {
	e := r.e
	names := make([]string, len(e.taxCodes))
	chosen := -1
	for i, c := range e.taxCodes {
		names[i] = c.Name + " (" + c.Rate.String() + "%)"
		if c.ID == l.TaxCode {
			chosen = i
		}
	}
	s := widget.NewSelect(names, nil)
	switch {
	case chosen >= 0:
		s.SetSelectedIndex(chosen)
	case l.TaxCode != "":
		s.PlaceHolder = l.TaxRate.String() + "%"
	default:
		s.PlaceHolder = lang.X("editor.line.tax.choose", "Choose")
	}
	if len(names) == 0 {
		s.Disable()
	}
	s.OnChanged = func(string) {
		r.touch("tax_code")
		c := e.taxCodes[s.SelectedIndex()]
		l := r.line()
		l.TaxCode, l.TaxRate = c.ID, c.Rate
		e.changed()
	}
	return s
}

// rememberItem keeps the rep's choice of item for the product, for the next drafts.
func (e *invoiceEditor) rememberItem(productID int64, itemID string) {
	svc := e.m.deps.Invoicing
	e.m.bg.do(localCall, func(ctx context.Context) error {
		if err := svc.LinkItem(ctx, productID, itemID); err != nil {
			e.m.deps.Log.Error("remember item", "product", productID, "err", err)
		}
		return nil
	}, nil)
}

// line returns the draft line this row edits.
func (r *lineRow) line() *invoicing.Line {
	return &r.e.draft.Lines[slices.Index(r.e.lines, r)]
}

func (r *lineRow) numberEntry(text, field string) *textField {
	en := newField(r.e.m)
	en.SetText(text)
	en.OnChanged = func(string) { r.touch(field); r.readNumber(en, field); r.e.changed() }
	return en
}

// readNumber puts the entry's number into the line, or says under the line that it is not a number.
func (r *lineRow) readNumber(en *textField, field string) {
	key := r.path(field)
	delete(r.e.badInput, key)
	v, err := parseNumber(en.Text)
	if err != nil {
		r.e.badInput[key] = lang.X("editor.problem.number", "Enter a number, such as 2 or 19.99.")
		return
	}
	if field == "quantity" {
		r.line().Quantity = v
	} else {
		r.line().UnitPrice = v
	}
}

func (r *lineRow) readDiscount() {
	key := r.path("discount")
	delete(r.e.badInput, key)
	d, err := parseDiscount(r.off.Text)
	if err != nil {
		r.e.badInput[key] = lang.X("editor.problem.discount", "Enter a discount as a percentage, such as 10%, or an amount, such as 5.00.")
		return
	}
	r.line().Discount = d
}

// reread reads the row's text again, after rows before it were removed.
func (r *lineRow) reread() {
	r.readNumber(r.quantity, "quantity")
	r.readNumber(r.price, "unit_price")
	r.readDiscount()
}

// touch marks one of the row's fields as edited, so its problems show from now on.
func (r *lineRow) touch(field string) { r.e.touch(r.path(field)) }

// path is the draft field path of one of the row's fields, as Validate names it.
func (r *lineRow) path(field string) string {
	return fmt.Sprintf("lines[%d].%s", slices.Index(r.e.lines, r), field)
}

func (e *invoiceEditor) onAddLine() {
	l := invoicing.NewLine(e.draft)
	e.draft.Lines = append(e.draft.Lines, l)
	e.appendRow(l)
	e.touch("lines")
	e.changed()
}

func (e *invoiceEditor) removeLine(r *lineRow) {
	i := slices.Index(e.lines, r)
	e.draft.Lines = slices.Delete(e.draft.Lines, i, i+1)
	e.lines = slices.Delete(e.lines, i, i+1)
	e.linesBox.Remove(r.content)
	for field := range e.badInput {
		if _, ok := lineIndex(field); ok {
			delete(e.badInput, field) // the remaining rows read their text again below
		}
	}
	for _, row := range e.lines {
		row.reread()
	}
	shiftTouched(e.touched, "lines", i)
	e.touch("lines")
	e.changed()
}

// shiftTouched forgets the touched fields of list[i] ("lines" or "discounts"), removed, and moves those of the
// entries after it up by one, as their paths now are.
func shiftTouched(touched map[string]bool, list string, removed int) {
	moved := map[string]bool{}
	for field := range touched {
		var j int
		if _, err := fmt.Sscanf(field, list+"[%d]", &j); err != nil || j < removed {
			continue
		}
		delete(touched, field)
		if j > removed {
			moved[fmt.Sprintf("%s[%d]%s", list, j-1, strings.TrimPrefix(field, fmt.Sprintf("%s[%d]", list, j)))] = true
		}
	}
	for field := range moved {
		touched[field] = true
	}
}

// lineField is where the messages of line i go.
func lineField(i int) string { return fmt.Sprintf("lines[%d]", i) }

// lineIndex returns i for a field path "lines[i]…".
func lineIndex(field string) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(field, "lines[%d]", &i); err != nil {
		return 0, false
	}
	return i, true
}

// parseNumber reads a decimal number; a comma is taken as the decimal point when there is no point.
func parseNumber(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return decimal.NewFromString(s)
}

// parseDiscount reads "10%" as a percentage, "5.00" as an amount and "" as no discount.
func parseDiscount(s string) (invoicing.Discount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return invoicing.Discount{}, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := parseNumber(p)
		return invoicing.Discount{Type: invoicing.DiscountPercentage, Value: v}, err
	}
	v, err := parseNumber(s)
	return invoicing.Discount{Type: invoicing.DiscountAmount, Value: v}, err
}

func discountText(d invoicing.Discount) string {
	switch {
	case d.IsZero():
		return ""
	case d.Type == invoicing.DiscountPercentage:
		return d.Value.String() + "%"
	}
	return d.Value.String()
}
