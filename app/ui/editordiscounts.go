package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showDealDiscounts lists the discounts on the whole deal under the lines, each editable and removable; the
// draft sends them to QuickBooks as one discount line.
func (e *invoiceEditor) showDealDiscounts() {
	e.discountsBox.RemoveAll()
	e.discountFields = nil
	for i := range e.draft.Discounts {
		e.discountsBox.Add(e.discountRow(i))
	}
	e.discountsBox.Hidden = len(e.draft.Discounts) == 0 // an empty box would still take the padding
	e.discountsBox.Refresh()
}

func (e *invoiceEditor) discountRow(i int) fyne.CanvasObject {
	d := e.draft.Discounts[i]
	name := d.Description
	if name == "" {
		name = lang.X("editor.deal_discount", "Discount on the whole deal")
	}
	key := discountPath(i)
	value := newField(e.m)
	value.SetText(discountText(d))
	value.SetPlaceHolder(lang.X("editor.line.discount.hint", "10% or 5.00"))
	value.OnChanged = func(s string) {
		e.touch(key, "discounts")
		delete(e.badInput, key)
		parsed, err := parseDiscount(s)
		if err != nil {
			e.badInput[key] = lang.X("editor.problem.discount", "Enter a discount as a percentage, such as 10%, or an amount, such as 5.00.")
		} else {
			parsed.Description = e.draft.Discounts[i].Description
			e.draft.Discounts[i] = parsed
		}
		e.changed()
	}
	e.discountFields = append(e.discountFields, value)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.removeDealDiscount(i) })
	return container.NewBorder(nil, nil, widget.NewLabel(name), remove, container.NewGridWrap(fyne.NewSize(160, value.MinSize().Height), value))
}

// removeDealDiscount drops one deal discount; the rows after it are rebuilt so their fields keep their paths.
func (e *invoiceEditor) removeDealDiscount(i int) {
	for j := i; j < len(e.draft.Discounts); j++ {
		delete(e.badInput, discountPath(j))
	}
	e.draft.Discounts = slices.Delete(e.draft.Discounts, i, i+1)
	shiftTouched(e.touched, "discounts", i)
	e.touch("discounts")
	e.showDealDiscounts()
	e.changed()
}

// discountPath is the draft field path of deal discount i, as Validate names it.
func discountPath(i int) string { return fmt.Sprintf("discounts[%d].value", i) }
