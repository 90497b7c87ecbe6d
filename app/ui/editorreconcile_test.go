package ui

import (
	"strings"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// TestEditorShowsTheDifferenceWithTheDeal: a deal worth 100.00 EUR plus Pipedrive's 20 % tax needs no
// words while the line keeps a 20 % code; choosing the 9 % code makes QuickBooks charge 109.00 EUR, and
// the editor says so, with the difference in the deal's currency and both rates.
func TestEditorShowsTheDifferenceWithTheDeal(t *testing.T) {
	svc := sampleService()
	deal := invoicing.DealLine{Quantity: testkit.Dec("1"), ItemPrice: testkit.Dec("100"), TaxRate: testkit.Dec("20"), Sum: testkit.Dec("100")}
	svc.built.Draft.Source = invoicing.DealFigures{Value: testkit.Dec("100"), Currency: "EUR", TaxMethod: invoicing.TaxMethodExclusive,
		Products: 1, ProductsSum: testkit.Dec("100"), Lines: []invoicing.DealLine{deal}, Title: "Acme renewal"}
	svc.built.Draft.Lines[0].Deal = &deal
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	if e.reconcile.label.Visible() {
		t.Fatalf("invoice equal to the deal, yet the editor says %q", e.reconcile.label.Text)
	}
	e.lines[0].taxCode.SetSelected("VAT low (9%)")
	text := e.reconcile.label.Text
	if !e.reconcile.label.Visible() || !strings.Contains(text, "QuickBooks will charge 109.00 EUR; the deal bills 120.00 EUR") ||
		!strings.Contains(text, "Difference: -11.00 EUR") ||
		!strings.Contains(text, "Support plan: taxed at 9 % in QuickBooks, 20 % in Pipedrive (-11.00 EUR)") {
		t.Errorf("after choosing 9 %%, the editor says %q", text)
	}
	e.lines[0].taxCode.SetSelected("VAT high (20%)")
	if e.reconcile.label.Visible() {
		t.Errorf("back at 20 %%, the editor still says %q", e.reconcile.label.Text)
	}
}
