package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func TestALineAddedInAUSDraftIsTaxableAsThePreferenceSays(t *testing.T) {
	for _, on := range []bool{false, true} {
		svc := sampleService()
		svc.company.TaxModel = invoicing.TaxUS
		// As BuildDraft makes it: the product's line has a rate and is taxed; the preference rides along.
		svc.built.Draft.Tax = invoicing.TaxSettings{Model: invoicing.TaxUS, TxnTaxCode: "7", TxnTaxRate: testkit.Dec("8"), NewLinesTaxable: on}
		svc.built.Draft.Lines[0].Taxable = true
		m := newScreensWindow(t, svc, &savedFile{})
		e := openEditor(t, m).editor

		test.Tap(e.addLine)
		e.lines[1].price.SetText("50")

		if got := e.lines[1].taxable.Checked; got != on {
			t.Errorf("preference %v: the added line is taxable %v", on, got)
		}
		// 100 taxed at 8 % = 8.00; the added 50 adds 4.00 only when taxable.
		want := map[bool]string{false: "8.00 EUR", true: "12.00 EUR"}[on]
		if e.tax.Text != want {
			t.Errorf("preference %v: tax %q, want %q", on, e.tax.Text, want)
		}
	}
}

func TestTheTaxablePreferenceSaysWhatItDoes(t *testing.T) {
	_, v := newPreferencesWindow(t, &fakePreferences{prefs: invoicing.DefaultPreferences(), choices: testChoices(invoicing.TaxUS, false)})
	if v.taxable.Text != "Also tax lines with no tax rate in Pipedrive" || v.taxable.Checked {
		t.Errorf("the check reads %q, ticked %v; want the rule, unticked as DefaultPreferences has it", v.taxable.Text, v.taxable.Checked)
	}
	form, ok := v.body.Objects[0].(*widget.Form)
	if !ok {
		t.Fatalf("the preferences show %T, want the form", v.body.Objects[0])
	}
	hint := ""
	for _, it := range form.Items {
		if it.Text == "Sales tax" {
			hint = it.HintText
		}
	}
	if hint != "A line whose product has a tax rate in Pipedrive is always taxed. Ticked, the other lines are taxed too, and so are the lines you add." {
		t.Errorf("under Sales tax: %q", hint)
	}
}
