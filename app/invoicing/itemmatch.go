package invoicing

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ItemMatch says how a line's QuickBooks item was found.
type ItemMatch int

// The ways a line gets its item. The zero value is a line the rep added
// (or a draft saved before items were matched): nothing to say about it.
const (
	ItemNotMatched ItemMatch = iota
	// ItemLinked: the item remembered for the Pipedrive product.
	ItemLinked
	// ItemBySku: the item whose SKU is the product's code.
	ItemBySku
	// ItemByName: the item with the product's name.
	ItemByName
	// ItemChosen: the rep chose the item in the editor.
	ItemChosen
	// ItemDefault: no item matched the product, so the line falls back to
	// the preferences' default item; Warnings says so for the line.
	ItemDefault
)

// String names the match for the command line and JSON.
func (m ItemMatch) String() string {
	switch m {
	case ItemLinked:
		return "remembered"
	case ItemBySku:
		return "sku"
	case ItemByName:
		return "name"
	case ItemChosen:
		return "chosen"
	case ItemDefault:
		return "default"
	}
	return ""
}

// matchItem picks a product's QuickBooks item: the item remembered for the
// product (while QuickBooks still has it), else the item whose SKU is the
// product's code, else the item of the same name (both ignoring case and
// spacing), else the default item. items empty means QuickBooks' items are
// not known (offline): a remembered item is then trusted as it is.
func matchItem(p DealProduct, links map[int64]string, items []Item, defaultID string) (string, ItemMatch) {
	if id := links[p.ProductID]; id != "" && p.ProductID != 0 {
		if len(items) == 0 || slices.ContainsFunc(items, func(it Item) bool { return it.ID == id }) {
			return id, ItemLinked
		}
	}
	if code := normalName(p.Code); code != "" {
		for _, it := range items {
			if normalName(it.Sku) == code {
				return it.ID, ItemBySku
			}
		}
	}
	if name := normalName(p.Name); name != "" {
		for _, it := range items {
			if normalName(it.Name) == name {
				return it.ID, ItemByName
			}
		}
	}
	return defaultID, ItemDefault
}

// itemWarnings says, per line, that no QuickBooks item matched its product
// and the default item is used.
func itemWarnings(v *validator, d Draft) {
	for i, l := range d.Lines {
		if l.ItemMatch != ItemDefault {
			continue
		}
		code := ""
		if l.ProductCode != "" {
			code = " (code " + l.ProductCode + ")"
		}
		v.add(linePath(i, "item"), ItemDefaulted,
			"no QuickBooks item matches %q%s by SKU or name; the line uses the default item", l.Name, code)
	}
}

// rememberItems keeps the item of every line that came from a Pipedrive
// product and found (or was given) its item, for the next drafts. A line
// on the default item is not remembered: nothing matched it.
func (s *Service) rememberItems(ctx context.Context, d Draft) error {
	for _, l := range d.Lines {
		switch {
		case l.ProductID == 0 || strings.TrimSpace(l.ItemRef) == "":
		case l.ItemMatch == ItemBySku || l.ItemMatch == ItemByName || l.ItemMatch == ItemChosen:
			if err := s.repo.SaveItemLink(ctx, l.ProductID, l.ItemRef); err != nil {
				return fmt.Errorf("save item link of product %d: %w", l.ProductID, err)
			}
		}
	}
	return nil
}
