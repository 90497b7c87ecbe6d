package invoicing

import (
	"context"
	"testing"
)

func TestMatchItem(t *testing.T) {
	items := []Item{
		{ID: "1", Name: "Services"},
		{ID: "2", Name: "Consulting", Sku: "CONS-HR"},
		{ID: "3", Name: "Consulting hour"},
		{ID: "4", Name: "Barcode scanner X200"},
		{ID: "5", Name: "Support plan", Sku: "SUP-STD"},
	}
	links := map[int64]string{7: "5", 8: "99"}
	tests := []struct {
		name      string
		product   DealProduct
		items     []Item
		wantID    string
		wantMatch ItemMatch
	}{
		{"the code is an item's SKU, before the name", DealProduct{ProductID: 1, Name: "Consulting hour", Code: "CONS-HR"}, items, "2", ItemBySku},
		{"SKU ignoring case and spacing", DealProduct{ProductID: 1, Name: "x", Code: " cons-hr "}, items, "2", ItemBySku},
		{"no SKU matches: by name", DealProduct{ProductID: 2, Name: "barcode  scanner x200", Code: "HW-X200"}, items, "4", ItemByName},
		{"nothing matches: the default item, said so", DealProduct{ProductID: 3, Name: "Premium support plan", Code: "SUP-PREM"}, items, "1", ItemDefault},
		{"the remembered item wins", DealProduct{ProductID: 7, Name: "Consulting", Code: "CONS-HR"}, items, "5", ItemLinked},
		{"a remembered item QuickBooks no longer has is dropped", DealProduct{ProductID: 8, Name: "Consulting"}, items, "2", ItemByName},
		{"offline: the remembered item is trusted", DealProduct{ProductID: 8, Name: "Consulting"}, nil, "99", ItemLinked},
		{"offline, nothing remembered: the default item", DealProduct{ProductID: 2, Name: "Consulting", Code: "CONS-HR"}, nil, "1", ItemDefault},
		{"a product without a code or name", DealProduct{ProductID: 2}, items, "1", ItemDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, m := matchItem(tt.product, links, tt.items, "1")
			if id != tt.wantID || m != tt.wantMatch {
				t.Errorf("matchItem = %s (%v), want %s (%v)", id, m, tt.wantID, tt.wantMatch)
			}
		})
	}
}

// The item found for a product by SKU or name, or chosen by the rep, is remembered when the invoice is
// created; the next draft takes it even when the item's name or SKU no longer matches.
func TestCreateRemembersMatchedItems(t *testing.T) {
	h := newHarness(t)
	d := h.draft(t)
	d.Lines[1].ItemRef, d.Lines[1].ItemMatch = "2", ItemChosen // the rep chose Consulting for Hosting
	if _, err := h.svc.CreateInvoice(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	h.acct.items = []Item{{ID: "1", Name: "Services"}, {ID: "2", Name: "Advisory (renamed)"}}
	h.svc.ReloadQuickBooks()
	next := h.draft(t)
	for i, l := range next.Lines {
		if l.ItemRef != "2" || l.ItemMatch != ItemLinked {
			t.Errorf("line %d item = %s (%v), want the remembered 2", i, l.ItemRef, l.ItemMatch)
		}
	}
}
